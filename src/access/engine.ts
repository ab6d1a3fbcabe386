/**
 * The access engine: an estate's graph and the closures the reports read.
 * People (with MFA: they can enrol it) start at their user; a function's own
 * view starts at a member of its group alone; machine principals start at
 * themselves, without MFA.
 */
import type { Estate } from './estate';
import { compareAccessLevel } from '../iam/actions';
import { AccessGraph, type AccountReach } from './graph';

function betterReach(a: AccountReach, b: AccountReach): boolean {
  const byLevel = compareAccessLevel(a.level, b.level);
  if (byLevel !== 0) return byLevel > 0;
  if ((a.until === undefined) !== (b.until === undefined)) return a.until === undefined;
  if (a.undecided !== b.undecided) return !a.undecided;
  return a.chain.length < b.chain.length;
}

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
   * Composed from what a member of each of their groups reaches alone (with
   * the self-service baseline): thousands of people in a few hundred
   * combinations of twenty groups cost twenty closures. The union errs
   * high only where one group's Deny would cut another's Allow. A person
   * some document names apart, or with policies of their own, gets their
   * own closure.
   */
  person(userArn: string): Map<string, AccountReach> {
    const info = this.graph.userInfos.get(userArn);
    const node = this.graph.userNodeOf(userArn);
    if (info === undefined || node === undefined) return new Map();
    if (info.special || info.own) return this.cached(node, () => [node], true);
    const key = `${info.account}|${info.groups.join(',')}`;
    let found = this.cache.get(key);
    if (found === undefined) {
      const parts = info.groups.filter((g) => !info.baseline.includes(g));
      const each = (parts.length === 0 ? [[]] : parts.map((g) => [g])).map((g) => this.members(info.account, [...info.baseline, ...g]));
      found = new Map();
      for (const reach of each) {
        for (const [account, r] of reach) {
          const had = found.get(account);
          if (had === undefined || betterReach(r, had)) found.set(account, r);
        }
      }
      this.cache.set(key, found);
    }
    return found;
  }

  /** The cache key of a person's reach: people with the same key reach the same. */
  personKey(userArn: string): string {
    const info = this.graph.userInfos.get(userArn);
    if (info === undefined) return '';
    return info.special || info.own ? userArn : `${info.account}|${info.groups.join(',')}`;
  }

  /** What a member of these groups (in the identity account) reaches on their own, per account name. */
  members(account: string, groups: string[]): Map<string, AccountReach> {
    const node = this.graph.syntheticUser(account, groups, 'rolecall-function-member');
    return this.cached(node, () => [node], true);
  }

  /** What a machine principal (or any node by ARN) reaches, without MFA. */
  machine(arn: string): Map<string, AccountReach> {
    const id = this.graph.node(`role:${arn}`) ? `role:${arn}` : `machine:${arn}`;
    return this.cached(`${id}#machine`, () => [id], false);
  }
}
