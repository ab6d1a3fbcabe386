/**
 * The access engine: an estate's graph and the closures the reports read.
 * People (with MFA: they can enrol it) start at their user; a function's own
 * view starts at a member of its group alone; machine principals start at
 * themselves, without MFA.
 */
import type { Estate } from './estate';
import { AccessGraph, type AccountReach } from './graph';

export class AccessEngine {
  readonly graph: AccessGraph;
  private readonly cache = new Map<string, Map<string, AccountReach>>();

  constructor(readonly estate: Estate) {
    this.graph = new AccessGraph(estate);
  }

  private cached(key: string, starts: () => string[], mfa: boolean): Map<string, AccountReach> {
    let found = this.cache.get(key);
    if (found === undefined) {
      found = this.graph.reach(starts(), mfa);
      this.cache.set(key, found);
    }
    return found;
  }

  /**
   * What a person (an IAM user of the estate) reaches, per account name.
   * People sharing account, path, groups and documents (and whom no
   * document names apart) share one user node, so thousands of people in
   * a few hundred combinations of groups cost a few hundred closures. One
   * closure of the whole node, not a union of its groups' closures: an
   * edge may need two groups' policies together (iam:PassRole from one, a
   * compute service from the other).
   */
  person(userArn: string): Map<string, AccountReach> {
    const node = this.graph.userNodeOf(userArn);
    if (node === undefined) return new Map();
    return this.cached(node, () => [node], true);
  }

  /**
   * What a person holding several principals reaches: an IAM user and an identity store user while
   * both backends run side by side (organization.people: [iam-users, identity-center]).
   */
  people(arns: string[]): Map<string, AccountReach> {
    const nodes = [...new Set(arns.flatMap((arn) => this.graph.userNodeOf(arn) ?? []))].sort();
    if (nodes.length === 0) return new Map();
    return this.cached(nodes.join('+'), () => nodes, true);
  }

  /** The cache key of a person's reach: people with the same key reach the same. */
  personKey(userArn: string | string[]): string {
    const arns = typeof userArn === 'string' ? [userArn] : userArn;
    return [...new Set(arns.flatMap((arn) => this.graph.userNodeOf(arn) ?? []))].sort().join('+');
  }

  /**
   * What a member of these groups (in the identity account) reaches on their own, per account name;
   * on Identity Center, also as a member of the functions' identity store groups (groups are named
   * after their functions).
   */
  members(account: string, groups: string[], path?: string): Map<string, AccountReach> {
    const node = this.graph.syntheticUser(account, groups, 'rolecall-function-member', path);
    const store = this.graph.syntheticIdentityStoreUser(groups);
    const starts = store === undefined ? [node] : [node, store];
    return this.cached(starts.join('+'), () => starts, true);
  }

  /**
   * The roles a member of these groups (in the identity account) may assume
   * directly, by role ARN, each with the end its assume edge carries: the
   * earliest DateLessThan aws:CurrentTime among the documents deciding it
   * (group policy, trust, SCPs), absent when nothing ends it. How the
   * reports learn a grant's `until`: from the emitted documents, as the
   * engine reads them.
   */
  memberAssumes(account: string, groups: string[], path?: string): Map<string, { until?: string }> {
    const node = this.graph.syntheticUser(account, groups, 'rolecall-function-member', path);
    const out = new Map<string, { until?: string }>();
    for (const edge of this.graph.edges(node, true)) {
      if (edge.kind !== 'assume' || !edge.to.startsWith('role:')) continue;
      out.set(edge.to.slice('role:'.length), edge.until !== undefined ? { until: edge.until } : {});
    }
    return out;
  }

  /** What a machine principal (or any node by ARN) reaches, without MFA. */
  machine(arn: string): Map<string, AccountReach> {
    const id = this.graph.node(`role:${arn}`) ? `role:${arn}` : `machine:${arn}`;
    return this.cached(`${id}#machine`, () => [id], false);
  }
}
