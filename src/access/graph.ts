/**
 * The escalation graph over an estate (src/access/estate.ts), in the spirit
 * of PMapper: nodes are principals (people's users, role sessions, machine
 * principals, pipeline credentials) and "admin of account X"; edges are the
 * ways one becomes another, one module per kind (src/access/edges/), each
 * decided by rolecall's own evaluator (./evaluate.ts). What a holder
 * reaches is the closure from its start nodes; its level on an account is
 * the highest level of any node reached there.
 *
 * Cost: people with the same groups (and no document naming them apart)
 * share one user node, and the closure of every "admin of X" node is
 * computed once and shared by every closure that reaches it.
 */
import type { AccessLevel } from '../model/schema';
import { compareAccessLevel } from '../iam/actions';
import { alwaysAllowed } from '../plan/organization';
import type { Caller } from './evaluate';
import {
  managedDocument,
  type Estate,
  type EstateAccount,
  type EstateGroup,
  type EstateIdcAssignment,
  type EstateIdcUser,
  type EstateRole,
  type EstateUser,
  type PolicyDocument,
} from './estate';
import { analyseActions, levelOfActions, type LevelEvidence } from './levels';
import { EDGE_KINDS } from './edges';

export type NodeKind = 'user' | 'role' | 'machine' | 'admin';

export interface GraphNode {
  /** `user:<signature>`, `role:<arn>`, `machine:<arn>`, `admin:<account name>`. */
  id: string;
  kind: NodeKind;
  /** Account name; empty for a principal outside the estate. */
  account: string;
  arn?: string;
  /** How the node is named in evidence. */
  label: string;
  /** Identity policy documents (user: its own and its groups'; role: its policies). Absent: unknown. */
  documents?: PolicyDocument[];
  /** The caller the node's requests are made as (MFA set per closure). */
  caller: Omit<Caller, 'mfa'>;
  /** Identity documents unknown or all-powerful (admin of an account, machine principals): treated as allowing anything. */
  allowAll?: boolean;
  /** user: its group ARNs; the users it stands for (people sharing the signature). */
  groups?: string[];
  /** An identity store user (IAM Identity Center): no IAM documents; its groups are identity store groups. */
  identityStore?: true;
  users?: string[];
  role?: EstateRole;
  machineKind?: string;
  /** Customer managed policies the node holds (a new version of one is a new policy for it). */
  policyArns?: string[];
  /** The documents its level reads, when not all of them: a person's level leaves out the self-service baseline group. */
  levelDocuments?: PolicyDocument[];
  /** Cache keys of `documents` and of the level's documents (managed ARNs and inline text, not whole documents). */
  docKey?: string;
  levelKey?: string;
}

export type EdgeKind =
  | 'assume'
  | 'admin-of-account'
  | 'self-escalation'
  | 'pass-role'
  | 'account-principal'
  | 'pipeline'
  | 'identity-center'
  | 'identity-center-admin';

export interface GraphEdge {
  to: string;
  kind: EdgeKind;
  action?: string;
  resource?: string;
  /** The edge leans on a condition the evaluator could not decide (it may be high). */
  undecided?: boolean;
  /** The edge holds only until then (DateLessThan aws:CurrentTime). */
  until?: string;
  /** Extra evidence, e.g. the pipeline's name. */
  via?: string;
}

/** One hop of a chain: the node reached and the edge it was reached by (none for the start). */
export interface Hop {
  node: string;
  label: string;
  edge?: GraphEdge;
}

export interface AccountReach {
  account: string;
  level: AccessLevel;
  action?: string;
  /** From a start node to the node setting the level. */
  chain: Hop[];
  undecided: boolean;
  until?: string;
}

/** What edge modules read: the graph's indexes and helpers. */
export interface EdgeContext {
  estate: Estate;
  node(id: string): GraphNode | undefined;
  account(name: string): EstateAccount | undefined;
  accountById(id: string): EstateAccount | undefined;
  roleByArn: Map<string, EstateRole>;
  roles: EstateRole[];
  /** Roles whose trust names a principal of this account id (root or any ARN), or `*`. */
  rolesTrusting(accountId: string): EstateRole[];
  /** Roles whose trust names this principal ARN. */
  rolesNaming(arn: string): EstateRole[];
  /** Every node of an account (users, roles, machines). */
  accountNodes(account: string): string[];
  /** Roles of an account whose trust names an AWS service (what iam:PassRole can hand out). */
  serviceRoles(account: string): EstateRole[];
  userNodeOf(userArn: string): string | undefined;
  /** Identity Center: the assignments of these identity store groups (every one when `groups` is undefined). */
  identityCenterAssignments(groups?: string[]): EstateIdcAssignment[];
  levelOf(node: GraphNode): LevelEvidence;
  /** The actions a node's documents allow somewhere (resource-blind). */
  allowedActions(node: GraphNode): Set<string>;
  /** The caller a node's requests are made as, with MFA. */
  callerOf(node: GraphNode, mfa: boolean): Caller;
}

export interface EdgeKindModule {
  kind: EdgeKind;
  /** The edges out of one node, for holders with (mfa true) or without MFA. */
  edges(node: GraphNode, mfa: boolean, ctx: EdgeContext): GraphEdge[];
}

interface Step {
  from?: string;
  edge?: GraphEdge;
}

interface Closure {
  visited: Map<string, Step>;
  /** Admin nodes whose (shared) closure this one includes without copying it. */
  merged: string[];
}

function listOf<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The accounts a trust policy's AWS principals belong to (`*` for everyone). */
function trustAccounts(trust: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const s of trust.Statement) {
    if (s.Effect !== 'Allow' || s.Principal === undefined) continue;
    if (s.Principal === '*') {
      out.add('*');
      continue;
    }
    for (const p of listOf(s.Principal.AWS)) {
      if (p === '*') out.add('*');
      else if (/^\d{12}$/.test(p)) out.add(p);
      else {
        const id = p.split(':')[4];
        if (id) out.add(id);
      }
    }
  }
  return [...out];
}

/** Actions whose worth is an edge (the role assumed), not a level in the caller's account. */
const EDGE_ONLY_ACTIONS = new Set(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']);

export class AccessGraph implements EdgeContext {
  readonly estate: Estate;
  readonly roleByArn = new Map<string, EstateRole>();
  readonly roles: EstateRole[];
  private readonly nodes = new Map<string, GraphNode>();
  private readonly accountsByName = new Map<string, EstateAccount>();
  private readonly accountsById = new Map<string, EstateAccount>();
  private readonly trusting = new Map<string, EstateRole[]>();
  private readonly naming = new Map<string, EstateRole[]>();
  private readonly byAccount = new Map<string, string[]>();
  private readonly userNode = new Map<string, string>();
  /** Per user: what the engine needs to compose a person's reach from their groups' (see AccessEngine.person). */
  readonly userInfos = new Map<
    string,
    { account: string; name: string; groups: string[]; baseline: string[]; special: boolean; own: boolean }
  >();
  private readonly edgeCache = new Map<string, GraphEdge[]>();
  private readonly levelCache = new Map<string, LevelEvidence>();
  private readonly allowedCache = new Map<string, Set<string>>();
  private readonly nodeKeys = new WeakMap<GraphNode, string>();
  private readonly memo = new Map<string, Closure>();
  private readonly memoBest = new Map<string, Map<string, AccountReach>>();
  private readonly inProgress = new Set<string>();

  constructor(estate: Estate) {
    this.estate = estate;
    this.roles = estate.roles.filter((r) => this.accountId(r.account) !== undefined);
    for (const a of estate.accounts) {
      this.accountsByName.set(a.name, a);
      if (a.id) this.accountsById.set(a.id, a);
    }
    for (const r of this.roles) {
      this.roleByArn.set(r.arn, r);
      for (const id of trustAccounts(r.trust)) push(this.trusting, id, r);
      for (const s of r.trust.Statement) {
        if (s.Effect !== 'Allow' || s.Principal === undefined || s.Principal === '*') continue;
        for (const p of listOf(s.Principal.AWS)) push(this.naming, p, r);
      }
      const node: GraphNode = {
        id: `role:${r.arn}`,
        kind: 'role',
        account: r.account,
        arn: r.arn,
        label: `role ${r.name} in ${r.account}`,
        documents: this.documentsOf(
          r.inline.map((p) => p.document),
          r.managed,
        ),
        caller: this.principalCaller(r.arn, r.account, undefined, r.tags),
        role: r,
        policyArns: r.managed.filter((arn) => arn in estate.policies),
        docKey: JSON.stringify([r.inline, r.managed]),
      };
      this.add(node);
    }
    this.addUsers(estate.users);
    this.addIdentityStoreUsers(estate.identityCenter?.users ?? []);
    for (const m of estate.machines) {
      const account = m.account ?? '';
      const id = m.arn.split(':')[4];
      const node: GraphNode = {
        id: `machine:${m.arn}`,
        kind: 'machine',
        account,
        arn: m.arn,
        label: m.kind === 'ambient' ? `ambient credentials in ${account}` : `principal ${m.arn}`,
        caller: {
          arn: m.arn,
          ...(id && /^\d{12}$/.test(id) ? { account: id } : {}),
          ...this.orgOf(id),
          ...(m.kind === 'root' ? { generic: true } : {}),
        },
        allowAll: true,
        machineKind: m.kind,
      };
      this.add(node);
    }
    for (const a of estate.accounts) {
      if (!a.id) continue;
      this.add({
        id: `admin:${a.name}`,
        kind: 'admin',
        account: a.name,
        label: `admin of ${a.name}`,
        caller: { account: a.id, generic: true, ...this.orgOf(a.id) },
        allowAll: true,
      });
    }
  }

  private add(node: GraphNode): void {
    this.nodes.set(node.id, node);
    if (node.kind !== 'admin' && node.account !== '') push(this.byAccount, node.account, node.id);
  }

  private accountId(name: string): string | undefined {
    return this.estate.accounts.find((a) => a.name === name)?.id ?? this.accountsByName.get(name)?.id;
  }

  private orgOf(accountId: string | undefined): { orgId?: string } {
    return accountId !== undefined && this.accountsById.has(accountId) && this.estate.organizationId
      ? { orgId: this.estate.organizationId }
      : {};
  }

  private principalCaller(arn: string, account: string, username: string | undefined, tags?: Record<string, string>): Omit<Caller, 'mfa'> {
    const id = this.accountsByName.get(account)?.id;
    return {
      arn,
      ...(id ? { account: id } : {}),
      ...(username !== undefined ? { username } : {}),
      ...(tags ? { tags } : {}),
      ...this.orgOf(id),
    };
  }

  private documentsOf(inline: PolicyDocument[], managed: string[]): PolicyDocument[] {
    const out = [...inline];
    for (const arn of managed) {
      const doc = managedDocument(this.estate, arn);
      // An unknown managed policy: counted as allowing everything (errs high).
      out.push(doc ?? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    }
    return out;
  }

  /**
   * People sharing account, groups and documents share a node, unless some
   * document names one of them apart (a pattern other than `user/*` or
   * `user/${aws:username}` that matches their ARN).
   */
  private addUsers(users: EstateUser[]): void {
    const groups = new Map(this.estate.groups.map((g) => [`${g.account}|${g.name}`, g]));
    const naming = userPatterns(this.estate);
    // Tags tell people apart only where a document reads them (aws:PrincipalTag): else they share a node.
    const tagsRead = readsPrincipalTags(this.estate);
    const bySignature = new Map<string, GraphNode>();
    for (const u of users) {
      const held = [...new Set(u.groups)].sort();
      const special = naming.some((p) => patternHits(p, u.arn));
      this.userInfos.set(u.arn, {
        account: u.account,
        name: u.name,
        groups: held.filter((name) => groups.has(`${u.account}|${name}`)),
        baseline: held.filter((name) => groups.get(`${u.account}|${name}`)?.labels?.baseline === true),
        special,
        own: u.inline.length > 0 || u.managed.length > 0,
      });
      const ownKey = JSON.stringify([u.inline, u.managed, tagsRead ? (u.tags ?? {}) : {}]);
      // The path is in the key: a pattern over a path (`user/rolecall/*`) tells people apart by it.
      const key = special ? `${u.account}|${u.arn}` : `${u.account}|${u.path}|${held.join(',')}|${ownKey}`;
      let node = bySignature.get(key);
      if (node === undefined) {
        const memberOf = held.flatMap((name) => {
          const g = groups.get(`${u.account}|${name}`);
          return g ? [g] : [];
        });
        const own = this.documentsOf(
          u.inline.map((p) => p.document),
          u.managed,
        );
        const docsOf = (g: EstateGroup) =>
          this.documentsOf(
            g.inline.map((p) => p.document),
            g.managed,
          );
        node = {
          id: `user:${bySignature.size}:${u.arn}`,
          kind: 'user',
          account: u.account,
          arn: u.arn,
          label: `user ${u.name}`,
          documents: [...own, ...memberOf.flatMap(docsOf)],
          // The self-service baseline (own password and MFA) is every person's: it is no access to the account.
          levelDocuments: [...own, ...memberOf.filter((g) => !g.labels?.baseline).flatMap(docsOf)],
          caller: this.principalCaller(u.arn, u.account, u.name, u.tags),
          groups: memberOf.map((g) => g.arn),
          users: [],
          policyArns: [...u.managed, ...memberOf.flatMap((g) => g.managed)].filter((arn) => arn in this.estate.policies),
          docKey: `${ownKey}|${memberOf.map((g) => g.arn).join(',')}`,
          levelKey: `${ownKey}|${memberOf
            .filter((g) => !g.labels?.baseline)
            .map((g) => g.arn)
            .join(',')}`,
        };
        bySignature.set(key, node);
        this.add(node);
      }
      node.users!.push(u.arn);
      this.userNode.set(u.arn, node.id);
    }
  }

  /**
   * Identity store users: one node per set of groups (no document tells them apart: they have none),
   * in the administering account (its admin holds them), making no IAM request of their own.
   */
  private addIdentityStoreUsers(users: EstateIdcUser[]): void {
    const bySignature = new Map<string, GraphNode>();
    for (const u of users) {
      const groups = [...new Set(u.groups)].sort();
      const key = groups.join(',');
      let node = bySignature.get(key);
      if (node === undefined) {
        node = this.identityStoreNode(`user:identity-store:${bySignature.size}:${u.arn}`, u.arn, `identity store user ${u.name}`, groups);
        bySignature.set(key, node);
        this.add(node);
      }
      node.users!.push(u.arn);
      this.userNode.set(u.arn, node.id);
    }
  }

  private identityStoreNode(id: string, arn: string, label: string, groups: string[]): GraphNode {
    return {
      id,
      kind: 'user',
      account: this.estate.identityCenter?.account ?? '',
      arn,
      label,
      documents: [],
      caller: { arn },
      groups,
      users: [],
      identityStore: true,
    };
  }

  /** An identity store user that is not in the estate: a member of these functions' Identity Center groups. */
  syntheticIdentityStoreUser(functions: string[]): string | undefined {
    const center = this.estate.identityCenter;
    if (center === undefined) return undefined;
    const groups = center.groups
      .filter((g) => g.labels?.function !== undefined && functions.includes(g.labels.function))
      .map((g) => g.arn)
      .sort();
    const id = `user:identity-store:synthetic:${groups.join(',')}`;
    if (!this.nodes.has(id)) {
      const names = center.groups.filter((g) => groups.includes(g.arn)).map((g) => g.name);
      this.nodes.set(
        id,
        this.identityStoreNode(
          id,
          `arn:${this.estate.partition}:identitystore:::user/rolecall-function-member`,
          `a member of Identity Center group ${names.sort().join(', ') || 'none'}`,
          groups,
        ),
      );
    }
    return id;
  }

  private assignmentIndex: Map<string, EstateIdcAssignment[]> | undefined;
  identityCenterAssignments(groups?: string[]): EstateIdcAssignment[] {
    const all = this.estate.identityCenter?.assignments ?? [];
    if (groups === undefined) return all;
    if (this.assignmentIndex === undefined) {
      this.assignmentIndex = new Map();
      for (const a of all) push(this.assignmentIndex, a.group, a);
    }
    return groups.flatMap((g) => this.assignmentIndex!.get(g) ?? []);
  }

  /** A user that is not in the estate: what a member of these groups holds (the function x account view). */
  syntheticUser(account: string, groupNames: string[], name: string, path = this.userPathOf(account)): string {
    const id = `user:synthetic:${account}:${path}:${[...groupNames].sort().join(',')}`;
    if (this.nodes.has(id)) return id;
    const accountId = this.accountsByName.get(account)?.id ?? '000000000000';
    const arn = `arn:${this.estate.partition}:iam::${accountId}:user${path}${name}`;
    const held = this.estate.groups.filter((g) => g.account === account && groupNames.includes(g.name));
    this.nodes.set(id, {
      id,
      kind: 'user',
      account,
      arn,
      label: `a member of ${
        held
          .filter((g) => !g.labels?.baseline)
          .map((g) => g.name)
          .sort()
          .join(', ') || 'no group'
      }`,
      documents: held.flatMap((g) =>
        this.documentsOf(
          g.inline.map((p) => p.document),
          g.managed,
        ),
      ),
      levelDocuments: held
        .filter((g) => !g.labels?.baseline)
        .flatMap((g) =>
          this.documentsOf(
            g.inline.map((p) => p.document),
            g.managed,
          ),
        ),
      caller: this.principalCaller(arn, account, name),
      groups: held.map((g) => g.arn),
      users: [],
      policyArns: held.flatMap((g) => g.managed).filter((arn) => arn in this.estate.policies),
    });
    return id;
  }

  /** The path a new user of the account gets: the estate's userPath, else its users' most common path, else `/`. */
  userPathOf(account: string): string {
    if (this.estate.userPath !== undefined) return this.estate.userPath;
    const counts = new Map<string, number>();
    for (const u of this.estate.users) if (u.account === account) counts.set(u.path, (counts.get(u.path) ?? 0) + 1);
    let best = '/';
    let most = 0;
    for (const [path, n] of [...counts].sort()) if (n > most) [best, most] = [path, n];
    return best;
  }

  node(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }
  account(name: string): EstateAccount | undefined {
    return this.accountsByName.get(name);
  }
  accountById(id: string): EstateAccount | undefined {
    return this.accountsById.get(id);
  }
  rolesTrusting(accountId: string): EstateRole[] {
    return [...(this.trusting.get(accountId) ?? []), ...(this.trusting.get('*') ?? [])];
  }
  rolesNaming(arn: string): EstateRole[] {
    return this.naming.get(arn) ?? [];
  }
  accountNodes(account: string): string[] {
    return this.byAccount.get(account) ?? [];
  }
  private serviceRoleIndex: Map<string, EstateRole[]> | undefined;
  serviceRoles(account: string): EstateRole[] {
    if (this.serviceRoleIndex === undefined) {
      this.serviceRoleIndex = new Map();
      for (const r of this.roles) {
        const trustsService = r.trust.Statement.some(
          (s) => s.Effect === 'Allow' && s.Principal !== undefined && s.Principal !== '*' && s.Principal.Service !== undefined,
        );
        if (trustsService) push(this.serviceRoleIndex, r.account, r);
      }
    }
    return this.serviceRoleIndex.get(account) ?? [];
  }
  userNodeOf(userArn: string): string | undefined {
    return this.userNode.get(userArn);
  }
  private readonly callers = new Map<string, Caller>();
  callerOf(node: GraphNode, mfa: boolean): Caller {
    const key = `${mfa ? 1 : 0}${node.id}`;
    let found = this.callers.get(key);
    if (found === undefined) this.callers.set(key, (found = { ...node.caller, mfa }));
    return found;
  }

  /** Cache key of a node's documents and account (the level depends on nothing else). */
  private docKey(node: GraphNode, level = false): string {
    const own = level ? (node.levelKey ?? node.docKey) : node.docKey;
    // The level depends on the account only through its enforced services.
    if (own !== undefined) return `${level ? (this.accountsByName.get(node.account)?.services?.join(',') ?? '*') : ''}|${own}`;
    let key = this.nodeKeys.get(node);
    if (key === undefined) {
      key = `${node.id}`;
      this.nodeKeys.set(node, key);
    }
    return key;
  }

  allowedActions(node: GraphNode): Set<string> {
    if (node.documents === undefined) return new Set();
    const key = this.docKey(node);
    let found = this.allowedCache.get(key);
    if (found === undefined) {
      found = analyseActions(node.documents.flatMap((d) => d.Statement as never[])).allowed;
      this.allowedCache.set(key, found);
    }
    return found;
  }

  /** The node's level in its own account: its documents' highest catalog level, under the account's enforced services. */
  levelOf(node: GraphNode): LevelEvidence {
    if (node.kind === 'admin') return { level: 'admin', action: 'iam:PutRolePolicy' };
    const documents = node.levelDocuments ?? node.documents;
    if (documents === undefined) return { level: 'none' };
    const key = this.docKey(node, true);
    let found = this.levelCache.get(key);
    if (found === undefined) {
      const { allowed, selfOnly } = analyseActions(documents.flatMap((d) => d.Statement as never[]));
      const services = this.accountsByName.get(node.account)?.services;
      // Assuming a role is worth what the role holds: the assume edge says so, not the level.
      let actions: string[] = [...allowed].filter((a) => !EDGE_ONLY_ACTIONS.has(a));
      if (services !== undefined) {
        const keep = new Set(services);
        actions = actions.filter((a) => keep.has(a.slice(0, a.indexOf(':'))) || alwaysAllowed(a));
      }
      found = levelOfActions(actions, selfOnly);
      this.levelCache.set(key, found);
    }
    return found;
  }

  edges(id: string, mfa: boolean): GraphEdge[] {
    const key = `${mfa ? 1 : 0}${id}`;
    let found = this.edgeCache.get(key);
    if (found === undefined) {
      const node = this.nodes.get(id);
      found = node === undefined ? [] : EDGE_KINDS.flatMap((k) => k.edges(node, mfa, this));
      this.edgeCache.set(key, found);
    }
    return found;
  }

  private pipelineEdges(id: string, mfa: boolean): GraphEdge[] {
    const key = `p${mfa ? 1 : 0}${id}`;
    let found = this.edgeCache.get(key);
    if (found === undefined) {
      const node = this.nodes.get(id);
      found = node === undefined ? [] : EDGE_KINDS.filter((k) => k.kind === 'pipeline').flatMap((k) => k.edges(node, mfa, this));
      this.edgeCache.set(key, found);
    }
    return found;
  }

  /** Everything reachable from the start nodes, for holders with (people) or without (machines) MFA. */
  private closure(starts: string[], mfa: boolean, self?: string): Closure {
    const visited = new Map<string, Step>();
    const merged: string[] = [];
    const queue: string[] = [];
    for (const s of starts) {
      if (visited.has(s) || !this.nodes.has(s)) continue;
      visited.set(s, {});
      queue.push(s);
    }
    const admins = new Set<string>();
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i];
      if (id.startsWith('admin:')) admins.add(this.nodes.get(id)!.account);
      // Admin of an account already holds what its principals' assume edges give (it can make any of them):
      // of theirs, only the pipeline edges add anything.
      const node = this.nodes.get(id)!;
      const edges = node.kind !== 'admin' && admins.has(node.account) ? this.pipelineEdges(id, mfa) : this.edges(id, mfa);
      for (const edge of edges) {
        if (visited.has(edge.to)) continue;
        visited.set(edge.to, { from: id, edge });
        // An admin node's closure is shared: computed once, included by reference.
        if (edge.to.startsWith('admin:') && edge.to !== self && !this.inProgress.has(`${mfa}${edge.to}`)) {
          this.adminClosure(edge.to, mfa);
          merged.push(edge.to);
          continue;
        }
        queue.push(edge.to);
      }
    }
    return { visited, merged };
  }

  private adminClosure(id: string, mfa: boolean): Closure {
    const key = `${mfa}${id}`;
    let found = this.memo.get(key);
    if (found === undefined) {
      this.inProgress.add(key);
      found = this.closure([id], mfa, id);
      this.inProgress.delete(key);
      this.memo.set(key, found);
    }
    return found;
  }

  private chainOf(closure: Closure, id: string): Hop[] {
    const hops: Hop[] = [];
    for (let at: string | undefined = id; at !== undefined;) {
      const step: Step | undefined = closure.visited.get(at);
      if (step === undefined) break;
      hops.push({ node: at, label: this.nodes.get(at)?.label ?? at, ...(step.edge ? { edge: step.edge } : {}) });
      at = step.from;
    }
    return hops.reverse();
  }

  /** The best reach per account of a closure (merged admin closures included). */
  private bestOf(closure: Closure, mfa: boolean): Map<string, AccountReach> {
    const out = new Map<string, AccountReach>();
    const offer = (r: AccountReach) => {
      const had = out.get(r.account);
      if (had === undefined || better(r, had)) out.set(r.account, r);
    };
    for (const id of closure.visited.keys()) {
      const node = this.nodes.get(id)!;
      if (node.account === '' || !this.accountsByName.get(node.account)?.id) continue;
      const level = this.levelOf(node);
      if (level.level === 'none') continue;
      // A chain only for a node that may win its account (BFS order: the first at a level is the shortest).
      const had = out.get(node.account);
      if (
        had !== undefined &&
        (compareAccessLevel(level.level, had.level) < 0 || (level.level === had.level && !had.undecided && had.until === undefined))
      )
        continue;
      const chain = this.chainOf(closure, id);
      offer({ account: node.account, level: level.level, ...(level.action ? { action: level.action } : {}), chain, ...summarise(chain) });
    }
    for (const admin of closure.merged) {
      const prefix = this.chainOf(closure, admin);
      for (const r of this.bestOfAdmin(admin, mfa).values()) {
        const had = out.get(r.account);
        if (had !== undefined && compareAccessLevel(r.level, had.level) < 0) continue;
        const chain = [...prefix, ...r.chain.slice(1)];
        offer({ ...r, chain, ...summarise(chain) });
      }
    }
    return out;
  }

  private bestOfAdmin(id: string, mfa: boolean): Map<string, AccountReach> {
    const key = `${mfa}${id}`;
    let found = this.memoBest.get(key);
    if (found === undefined) {
      found = this.bestOf(this.adminClosure(id, mfa), mfa);
      this.memoBest.set(key, found);
    }
    return found;
  }

  /** What holders starting at these nodes reach, per account. */
  reach(starts: string[], mfa: boolean): Map<string, AccountReach> {
    return this.bestOf(this.closure(starts, mfa), mfa);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function summarise(chain: Hop[]): { undecided: boolean; until?: string } {
  let undecided = false;
  let until: string | undefined;
  for (const hop of chain) {
    if (hop.edge?.undecided) undecided = true;
    const u = hop.edge?.until;
    if (u !== undefined && (until === undefined || u < until)) until = u;
  }
  return until === undefined ? { undecided } : { undecided, until };
}

/** Higher level; then a chain without an expiry, then decided, then shorter, then by label. */
function better(a: AccountReach, b: AccountReach): boolean {
  const byLevel = compareAccessLevel(a.level, b.level);
  if (byLevel !== 0) return byLevel > 0;
  if ((a.until === undefined) !== (b.until === undefined)) return a.until === undefined;
  if (a.undecided !== b.undecided) return !a.undecided;
  if (a.chain.length !== b.chain.length) return a.chain.length < b.chain.length;
  return chainText(a.chain) < chainText(b.chain);
}

export function chainText(chain: Hop[]): string {
  return chain.map((h) => h.label).join(' -> ');
}

/** True when some document of the estate reads a principal tag (a condition key or a policy variable). */
function readsPrincipalTags(estate: Estate): boolean {
  const docs: unknown[] = [
    ...Object.values(estate.policies),
    ...estate.roles.flatMap((r) => [r.trust, ...r.inline.map((p) => p.document)]),
    ...estate.groups.flatMap((g) => g.inline.map((p) => p.document)),
    ...estate.users.flatMap((u) => u.inline.map((p) => p.document)),
    ...estate.accounts.flatMap((a) => [...(a.scps ?? []).flat(), ...(a.rcps ?? []).flat()]),
    ...[...new Set([...estate.roles, ...estate.groups, ...estate.users].flatMap((p) => p.managed))].map((arn) =>
      managedDocument(estate, arn),
    ),
  ];
  return docs.some((d) => /principaltag/i.test(JSON.stringify(d)));
}

/** Patterns in any document that may name users apart (not `user/*`, not `user/${aws:username}`). */
function userPatterns(estate: Estate): string[] {
  const out = new Set<string>();
  const scan = (doc: PolicyDocument) => {
    for (const s of doc.Statement) {
      const strings = [
        ...listOf(s.Resource),
        ...listOf(s.NotResource),
        ...(s.Principal && s.Principal !== '*' ? listOf(s.Principal.AWS) : []),
        ...Object.values(s.Condition ?? {}).flatMap((keys) => Object.values(keys ?? {}).flatMap((v) => listOf(v as string | string[]))),
      ];
      for (const x of strings) {
        if (typeof x !== 'string' || !x.includes(':user/')) continue;
        // Every user under a path alike (`user/*`, `user/rolecall/*`, `user/rolecall/${aws:username}`): the
        // path is in a user node's key, so these tell no one apart.
        if (/:user\/(?:[^*?${}]*\/)?(\$\{aws:username\}|\*)$/.test(x)) continue;
        out.add(x);
      }
    }
  };
  for (const p of Object.values(estate.policies)) scan(p);
  for (const r of estate.roles) {
    scan(r.trust);
    for (const p of r.inline) scan(p.document);
  }
  for (const g of estate.groups) for (const p of g.inline) scan(p.document);
  for (const u of estate.users) for (const p of u.inline) scan(p.document);
  return [...out];
}

function patternHits(pattern: string, arn: string): boolean {
  const body = pattern
    .replace(/\$\{[^}]*\}/g, '*')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`).test(arn);
}

export type { PolicyDocument };
