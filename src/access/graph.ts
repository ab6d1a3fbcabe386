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
import { createHash } from 'crypto';
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
import { analyseActions, isPlain, levelOfActions, type LevelEvidence } from './levels';
import { EDGE_KINDS } from './edges';
import { iamUserArn } from '../plan/names';

export type { NodeKind, GraphNode, EdgeKind, GraphEdge, Hop, AccountReach, EdgeContext, EdgeKindModule } from './graph-types';
import type { GraphNode, GraphEdge, Hop, AccountReach, EdgeContext } from './graph-types';

/** A node's edges and, in the same order, their targets' indexes. */
interface EdgeList {
  edges: GraphEdge[];
  to: number[];
}

/**
 * What one closure reached, by node index: the nodes in the order found,
 * and per position the one it was reached from, by which edge, and the
 * chain's length, whether it leans on an undecided condition, and its
 * earliest end (so chains are built only for the nodes that set a level).
 */
interface Closure {
  /** Node indexes, in the order found. */
  order: number[];
  /** Node index -> 1 + its position in `order`; 0 (or past its end): not reached. */
  pos: Int32Array;
  from: number[];
  edge: Array<GraphEdge | undefined>;
  depth: number[];
  undecided: boolean[];
  until: Array<string | undefined>;
  /** Admin nodes (indexes) whose (shared) closure this one includes without copying it. */
  merged: number[];
  /** Hops built so far, by position (chains share them). */
  hops: Array<Hop | undefined>;
}

/** A reach a closure offers for an account; its chain is built only when needed (a tie, or the winner). */
interface Offer {
  account: string;
  level: AccessLevel;
  action?: string;
  undecided: boolean;
  until?: string;
  length: number;
  chain?: Hop[];
  build: () => Hop[];
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

/** What an unknown managed policy counts as: allowing everything (errs high). */
const UNKNOWN_MANAGED: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/**
 * One object per document text, for the whole process: the evaluator's and
 * the levels' caches are keyed by document object, and the same text recurs
 * (a permission set rendered into hundreds of roles, the two sides of a
 * diff), so each text is analysed once. Documents are read, never changed.
 */
const interned = new Map<string, PolicyDocument>();
const internedOf = new WeakMap<PolicyDocument, PolicyDocument>();
const MAX_INTERNED = 50_000;
export function internDocument(doc: PolicyDocument): PolicyDocument {
  const known = internedOf.get(doc);
  if (known !== undefined) return known;
  const text = JSON.stringify(doc);
  let found = interned.get(text);
  if (found === undefined) {
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(text, (found = doc));
    documentIds.set(doc, nextDocumentId++);
  }
  internedOf.set(doc, found);
  return found;
}
/** A small number per interned document (what the reach store's keys name documents by). */
const documentIds = new WeakMap<PolicyDocument, number>();
let nextDocumentId = 1;
function documentId(doc: PolicyDocument): number {
  const canonical = internDocument(doc);
  let id = documentIds.get(canonical);
  if (id === undefined) documentIds.set(canonical, (id = nextDocumentId++));
  return id;
}

/**
 * The reach store, for the whole process: the two sides of a diff (and the
 * matrix's, the guardrails' and the reports' engines of one file) build
 * graphs that are mostly alike. A node's edges depend on its own content
 * (its fingerprint) and on the graph's "world" (accounts, SCPs and RCPs,
 * roles' ARNs and trusts, machines, pipelines, Identity Center), never on
 * other roles' documents; a closure depends on the fingerprints of the
 * nodes it reached. So edges are kept by (world, fingerprint), and a
 * closure's reach by (world, its starts' fingerprints) with the
 * fingerprints of every node it reached: another graph reuses it when
 * each of those nodes is there with the same fingerprint.
 */
const keyIds = new Map<string, number>();
let nextKeyId = 1;
function keyId(text: string): number {
  // Long texts (a world, an admin node's principals) by their hash: the map stays small.
  const key = text.length > 128 ? `#${createHash('sha256').update(text).digest('base64')}` : text;
  let id = keyIds.get(key);
  if (id === undefined) {
    // Ids are never reused (a forgotten text gets a new one), so a stored key never names other content.
    if (keyIds.size >= 200_000) keyIds.clear();
    keyIds.set(key, (id = nextKeyId++));
  }
  return id;
}
/** The nodes a closure reached: key ids of their ids and fingerprints, and the same of the admin closures it merged. */
interface Reached {
  ids: Int32Array;
  fingerprints: Int32Array;
  admins: Reached[];
}
interface StoredReach {
  reach: Map<string, AccountReach>;
  /** Built when another graph first asks (a lone graph never pays for it). */
  reached: () => Reached;
}
/** By world, node id and MFA: the edges, and the graph and node they were built for (to compare fingerprints). */
const edgeStore = new Map<string, { edges: GraphEdge[]; graph: AccessGraph; index: number }>();
const reachStore = new Map<string, StoredReach>();
/**
 * Bounds of the stores, in edges and in cells: past one, that store starts again empty. Entries keep
 * the graph they came from (read when another graph asks), so the bounds are a few large estates.
 */
const MAX_STORED_EDGES = 2_000_000;
const MAX_STORED_REACH = 500_000;
let storedEdges = 0;
let storedReach = 0;

/** Per document (interned: shared by every graph): whether it is plain (see isPlain), what it allows, its level by enforced services. */
const plainDocs = new WeakMap<PolicyDocument, boolean>();
const docAllowed = new WeakMap<PolicyDocument, Set<string>>();
const docLevels = new WeakMap<PolicyDocument, Map<string, LevelEvidence>>();

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
  /** Nodes by index (ids are interned to indexes: closures work on numbers, not strings). */
  private readonly list: GraphNode[] = [];
  private readonly indexOf = new Map<string, number>();
  /** By [mfa ? 1 : 0][node index]: every edge, and the pipeline edges alone. */
  private readonly edgeLists: Array<Array<EdgeList | undefined>> = [[], []];
  private readonly pipelineLists: Array<Array<EdgeList | undefined>> = [[], []];
  /** By node index: its level (see levelOf), and whether it counts for an account (one with an id). */
  private readonly levels: Array<LevelEvidence | undefined> = [];
  private readonly counts: boolean[] = [];
  private readonly levelCache = new Map<string, LevelEvidence>();
  private readonly allowedCache = new Map<string, Set<string>>();
  private readonly allowedOf = new WeakMap<GraphNode, Set<string>>();
  private readonly nodeKeys = new WeakMap<GraphNode, string>();
  /** Admin closures and their best reach, keyed by node index * 2 + (mfa ? 1 : 0). */
  private readonly memo = new Map<number, Closure>();
  private readonly memoBest = new Map<number, Map<string, AccountReach>>();
  private readonly inProgress = new Set<number>();
  /**
   * Set when a closure met an admin node whose own closure was in progress (a cycle of admins): then
   * what a closure finds may depend on the order closures ran in, and this graph neither stores
   * nor reuses reaches (see the reach store).
   */
  private cyclic = false;
  private worldId: number | undefined;
  /** By node index: its fingerprint's key id, and its id's. */
  private readonly fingerprints: number[] = [];
  private readonly idKeys: number[] = [];
  private byIdKey: Map<number, number> | undefined;

  constructor(estate: Estate) {
    this.estate = estate;
    // The first account of a name holds it (as a linear search would find it).
    const firstByName = new Map<string, EstateAccount>();
    for (const a of estate.accounts) if (!firstByName.has(a.name)) firstByName.set(a.name, a);
    this.roles = estate.roles.filter((r) => firstByName.get(r.account)?.id !== undefined);
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
    this.register(node);
    if (node.kind !== 'admin' && node.account !== '') push(this.byAccount, node.account, node.id);
  }

  private register(node: GraphNode): void {
    this.nodes.set(node.id, node);
    this.indexOf.set(node.id, this.list.length);
    this.list.push(node);
    this.counts.push(node.account !== '' && !!this.accountsByName.get(node.account)?.id);
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
    const out = inline.map(internDocument);
    for (const arn of managed) {
      const doc = managedDocument(this.estate, arn);
      // An unknown managed policy: counted as allowing everything (errs high).
      out.push(doc !== undefined ? internDocument(doc) : UNKNOWN_MANAGED);
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
          // By its first user's ARN (unique): the same node has the same id in another estate (see the reach store).
          id: this.nodes.has(`user:${u.arn}`) ? `user:${bySignature.size}:${u.arn}` : `user:${u.arn}`,
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
        const id = this.nodes.has(`user:identity-store:${u.arn}`)
          ? `user:identity-store:${bySignature.size}:${u.arn}`
          : `user:identity-store:${u.arn}`;
        node = this.identityStoreNode(id, u.arn, `identity store user ${u.name}`, groups);
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
      this.register(
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
    const arn = iamUserArn(accountId, path, name, this.estate.partition);
    const held = this.estate.groups.filter((g) => g.account === account && groupNames.includes(g.name));
    this.register({
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
  private readonly trustingSets = new Map<string, ReadonlySet<EstateRole>>();
  trustingSet(accountId: string): ReadonlySet<EstateRole> {
    let found = this.trustingSets.get(accountId);
    if (found === undefined) this.trustingSets.set(accountId, (found = new Set(this.rolesTrusting(accountId))));
    return found;
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
  private readonly callers = new WeakMap<GraphNode, Array<Caller | undefined>>();
  /** One caller object per node and MFA (decisions are cached by caller object). */
  callerOf(node: GraphNode, mfa: boolean): Caller {
    let both = this.callers.get(node);
    if (both === undefined) this.callers.set(node, (both = [undefined, undefined]));
    const i = mfa ? 1 : 0;
    let found = both[i];
    if (found === undefined) both[i] = found = { ...node.caller, mfa };
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
    const known = this.allowedOf.get(node);
    if (known !== undefined) return known;
    const key = this.docKey(node);
    let found = this.allowedCache.get(key);
    if (found === undefined) {
      found = analyseActions(node.documents.flatMap((d) => d.Statement as never[])).allowed;
      this.allowedCache.set(key, found);
    }
    this.allowedOf.set(node, found);
    return found;
  }

  private plain(documents: readonly PolicyDocument[]): boolean {
    for (const doc of documents) {
      let found = plainDocs.get(doc);
      if (found === undefined) plainDocs.set(doc, (found = isPlain(doc.Statement as never[])));
      if (!found) return false;
    }
    return true;
  }

  private allowedBy(doc: PolicyDocument): Set<string> {
    let found = docAllowed.get(doc);
    if (found === undefined) docAllowed.set(doc, (found = analyseActions(doc.Statement as never[]).allowed));
    return found;
  }

  mayAllow(node: GraphNode, action: string): boolean {
    if (node.documents === undefined) return false;
    if (!this.plain(node.documents)) return this.allowedActions(node).has(action);
    return node.documents.some((doc) => this.allowedBy(doc).has(action));
  }

  /** The level of what plain documents allow together: the highest of each one's (ties: the first action by name). */
  private plainLevel(documents: readonly PolicyDocument[], services: string[] | undefined): LevelEvidence {
    const key = services?.join(',') ?? '*';
    let best: LevelEvidence = { level: 'none' };
    for (const doc of documents) {
      let byServices = docLevels.get(doc);
      if (byServices === undefined) docLevels.set(doc, (byServices = new Map()));
      let level = byServices.get(key);
      if (level === undefined) byServices.set(key, (level = levelOfAllowed(this.allowedBy(doc), new Set(), services)));
      if (level.level === 'none') continue;
      const byLevel = compareAccessLevel(level.level, best.level);
      if (byLevel > 0 || (byLevel === 0 && level.action! <= best.action!)) best = level;
    }
    return best;
  }

  /** levelOf by node index, cached per node (the key of levelOf's shared cache is long to build). */
  private levelAt(i: number): LevelEvidence {
    let found = this.levels[i];
    if (found === undefined) this.levels[i] = found = this.levelOf(this.list[i]);
    return found;
  }

  /** The node's level in its own account: its documents' highest catalog level, under the account's enforced services. */
  levelOf(node: GraphNode): LevelEvidence {
    if (node.kind === 'admin') return { level: 'admin', action: 'iam:PutRolePolicy' };
    const documents = node.levelDocuments ?? node.documents;
    if (documents === undefined) return { level: 'none' };
    const services = this.accountsByName.get(node.account)?.services;
    // Plain documents (most): each one's level once, for every node holding it.
    if (this.plain(documents)) return this.plainLevel(documents, services);
    const key = this.docKey(node, true);
    let found = this.levelCache.get(key);
    if (found === undefined) {
      const { allowed, selfOnly } = analyseActions(documents.flatMap((d) => d.Statement as never[]));
      found = levelOfAllowed(allowed, selfOnly, services);
      this.levelCache.set(key, found);
    }
    return found;
  }

  edges(id: string, mfa: boolean): GraphEdge[] {
    const i = this.indexOf.get(id);
    return i === undefined ? [] : this.edgeList(i, mfa, false).edges;
  }

  private edgeList(i: number, mfa: boolean, pipelineOnly: boolean): EdgeList {
    const lists = (pipelineOnly ? this.pipelineLists : this.edgeLists)[mfa ? 1 : 0];
    let found = lists[i];
    if (found === undefined) {
      const key = `${this.world()}|${this.list[i].id}|${mfa ? 1 : 0}${pipelineOnly ? 'p' : ''}`;
      const stored = edgeStore.get(key);
      let edges: GraphEdge[] | undefined;
      let to: Array<number | undefined> | undefined;
      if (stored !== undefined && stored.graph !== this && stored.graph.fingerprintAt(stored.index) === this.fingerprintAt(i)) {
        edges = stored.edges;
        to = edges.map((e) => this.indexOf.get(e.to));
      }
      if (edges === undefined || to === undefined || to.some((x) => x === undefined)) {
        const node = this.list[i];
        const kinds = pipelineOnly ? EDGE_KINDS.filter((k) => k.kind === 'pipeline') : EDGE_KINDS;
        edges = kinds.flatMap((k) => k.edges(node, mfa, this));
        to = edges.map((e) => this.indexOf.get(e.to));
        if ((storedEdges += edges.length + 1) > MAX_STORED_EDGES) {
          edgeStore.clear();
          storedEdges = edges.length + 1;
        }
        edgeStore.set(key, { edges, graph: this, index: i });
      }
      lists[i] = found = { edges, to: to as number[] };
    }
    return found;
  }

  /** The graph's world (see the reach store): everything a node's edges read besides the node itself. */
  private world(): number {
    if (this.worldId === undefined) {
      const e = this.estate;
      const docs = (layers: PolicyDocument[][] | undefined) => layers?.map((layer) => layer.map(documentId)) ?? null;
      const text = JSON.stringify([
        e.partition,
        e.organizationId ?? null,
        e.userPath ?? null,
        e.accounts.map((a) => [a.name, a.id, a.management, a.identity, a.services, docs(a.scps), docs(a.rcps)]),
        this.roles.map((r) => [r.arn, r.account, r.name, r.path, documentId(r.trust), r.tags ?? null, r.origin ?? null, r.labels ?? null]),
        e.machines,
        e.pipelines,
        e.identityCenter ?? null,
      ]);
      this.worldId = keyId(text);
    }
    return this.worldId;
  }

  /** A node's fingerprint (see the reach store): what its edges and level read of the node itself. */
  private fingerprintAt(i: number): number {
    let found = this.fingerprints[i];
    if (found === undefined) {
      const n = this.list[i];
      const docs = (list: PolicyDocument[] | undefined) => list?.map(documentId) ?? null;
      const parts: unknown[] = [
        n.id,
        n.kind,
        n.account,
        n.arn ?? null,
        n.label,
        docs(n.documents),
        docs(n.levelDocuments),
        n.caller,
        n.allowAll ?? false,
        n.groups ?? null,
        n.users ?? null,
        n.identityStore ?? false,
        n.machineKind ?? null,
        n.policyArns ?? null,
      ];
      // Admin of an account holds its principals: its edges name them.
      if (n.kind === 'admin') parts.push(this.accountNodes(n.account));
      this.fingerprints[i] = found = keyId(JSON.stringify(parts));
    }
    return found;
  }

  private idKeyAt(i: number): number {
    let found = this.idKeys[i];
    if (found === undefined) this.idKeys[i] = found = keyId(this.list[i].id);
    return found;
  }

  /** What a closure reached (see Reached); an admin closure's once per graph. */
  private reachedOf(c: Closure, mfa: boolean): Reached {
    const ids = new Int32Array(c.order.length);
    const fingerprints = new Int32Array(c.order.length);
    for (let k = 0; k < c.order.length; k++) {
      ids[k] = this.idKeyAt(c.order[k]);
      fingerprints[k] = this.fingerprintAt(c.order[k]);
    }
    return { ids, fingerprints, admins: c.merged.map((a) => this.reachedOfAdmin(a, mfa)) };
  }
  private readonly adminReached = new Map<number, Reached>();
  private reachedOfAdmin(i: number, mfa: boolean): Reached {
    const key = i * 2 + (mfa ? 1 : 0);
    let found = this.adminReached.get(key);
    if (found === undefined) this.adminReached.set(key, (found = this.reachedOf(this.adminClosure(i, mfa), mfa)));
    return found;
  }

  /** Everything reachable from the start nodes, for holders with (people) or without (machines) MFA. */
  private closure(starts: string[], mfa: boolean, self = -1): Closure {
    const c: Closure = {
      order: [],
      pos: new Int32Array(this.list.length),
      from: [],
      edge: [],
      depth: [],
      undecided: [],
      until: [],
      merged: [],
      hops: [],
    };
    const reached = (to: number, from: number, edge: GraphEdge | undefined) => {
      if (to >= c.pos.length) {
        // A node registered after this closure began (a synthetic start): room for it.
        const grown = new Int32Array(this.list.length);
        grown.set(c.pos);
        c.pos = grown;
      }
      c.pos[to] = c.order.push(to);
      c.from.push(from);
      c.edge.push(edge);
      if (from < 0) {
        c.depth.push(1);
        c.undecided.push(false);
        c.until.push(undefined);
        return;
      }
      c.depth.push(c.depth[from] + 1);
      c.undecided.push(c.undecided[from] || edge?.undecided === true);
      const had = c.until[from];
      const u = edge?.until;
      c.until.push(u !== undefined && (had === undefined || u < had) ? u : had);
    };
    const queue: number[] = [];
    for (const s of starts) {
      const i = this.indexOf.get(s);
      if (i === undefined || (i < c.pos.length && c.pos[i] !== 0)) continue;
      reached(i, -1, undefined);
      queue.push(i);
    }
    const admins = new Set<string>();
    const bit = mfa ? 1 : 0;
    for (let q = 0; q < queue.length; q++) {
      const i = queue[q];
      const node = this.list[i];
      if (node.kind === 'admin') admins.add(node.account);
      // Admin of an account already holds what its principals' assume edges give (it can make any of them):
      // of theirs, only the pipeline edges add anything.
      const list = this.edgeList(i, mfa, node.kind !== 'admin' && admins.has(node.account));
      const at = c.pos[i] - 1;
      for (let k = 0; k < list.to.length; k++) {
        const to = list.to[k];
        if (to < c.pos.length && c.pos[to] !== 0) continue;
        reached(to, at, list.edges[k]);
        // An admin node's closure is shared: computed once, included by reference.
        if (this.list[to].kind === 'admin' && to !== self && this.inProgress.has(to * 2 + bit)) this.cyclic = true;
        if (this.list[to].kind === 'admin' && to !== self && !this.inProgress.has(to * 2 + bit)) {
          this.adminClosure(to, mfa);
          c.merged.push(to);
          continue;
        }
        queue.push(to);
      }
    }
    return c;
  }

  private adminClosure(i: number, mfa: boolean): Closure {
    const key = i * 2 + (mfa ? 1 : 0);
    let found = this.memo.get(key);
    if (found === undefined) {
      this.inProgress.add(key);
      found = this.closure([this.list[i].id], mfa, i);
      this.inProgress.delete(key);
      this.memo.set(key, found);
    }
    return found;
  }

  /** The hops from a start node to the node at this position of the closure. */
  private chainOf(c: Closure, at: number): Hop[] {
    const hops: Hop[] = [];
    for (let p = at; p >= 0; p = c.from[p]) {
      let hop = c.hops[p];
      if (hop === undefined) {
        const node = this.list[c.order[p]];
        const edge = c.edge[p];
        c.hops[p] = hop = { node: node.id, label: node.label ?? node.id, ...(edge ? { edge } : {}) };
      }
      hops.push(hop);
    }
    return hops.reverse();
  }

  /** The best reach per account of a closure (merged admin closures included). */
  private bestOf(c: Closure, mfa: boolean): Map<string, AccountReach> {
    const out = new Map<string, Offer>();
    /** Offers a reach (its chain built only on a tie or when it wins): see `better`. */
    const offer = (
      account: string,
      level: AccessLevel,
      action: string | undefined,
      undecided: boolean,
      until: string | undefined,
      length: number,
      build: () => Hop[],
    ) => {
      const had = out.get(account);
      let chain: Hop[] | undefined;
      if (had !== undefined) {
        const order = compareOffers(level, until, undecided, length, had);
        if (order < 0) return;
        if (order === 0) {
          // A tie: the chain that reads first wins (built now, kept).
          chain = build();
          if (!(chainText(chain) < chainText(chainOfOffer(had)))) return;
        }
      }
      out.set(account, {
        account,
        level,
        ...(action !== undefined ? { action } : {}),
        undecided,
        ...(until !== undefined ? { until } : {}),
        length,
        ...(chain !== undefined ? { chain } : {}),
        build,
      });
    };
    for (let p = 0; p < c.order.length; p++) {
      const i = c.order[p];
      if (!this.counts[i]) continue;
      const level = this.levelAt(i);
      if (level.level === 'none') continue;
      const account = this.list[i].account;
      // Only a node that may win its account (BFS order: the first at a level is the shortest).
      const had = out.get(account);
      if (
        had !== undefined &&
        (compareAccessLevel(level.level, had.level) < 0 || (level.level === had.level && !had.undecided && had.until === undefined))
      )
        continue;
      offer(account, level.level, level.action ? level.action : undefined, c.undecided[p], c.until[p], c.depth[p], () =>
        this.chainOf(c, p),
      );
    }
    for (const admin of c.merged) {
      const at = c.pos[admin] - 1;
      const prefixUntil = c.until[at];
      for (const r of this.bestOfAdmin(admin, mfa).values()) {
        const had = out.get(r.account);
        if (had !== undefined && compareAccessLevel(r.level, had.level) < 0) continue;
        const until = r.until !== undefined && (prefixUntil === undefined || r.until < prefixUntil) ? r.until : prefixUntil;
        offer(r.account, r.level, r.action, c.undecided[at] || r.undecided, until, c.depth[at] + r.chain.length - 1, () => [
          ...this.chainOf(c, at),
          ...r.chain.slice(1),
        ]);
      }
    }
    const reach = new Map<string, AccountReach>();
    for (const [account, r] of out) {
      const found: AccountReach = {
        account,
        level: r.level,
        ...(r.action !== undefined ? { action: r.action } : {}),
        chain: chainOfOffer(r),
        undecided: r.undecided,
      };
      if (r.until !== undefined) found.until = r.until;
      reach.set(account, found);
    }
    return reach;
  }

  private bestOfAdmin(i: number, mfa: boolean): Map<string, AccountReach> {
    const key = i * 2 + (mfa ? 1 : 0);
    let found = this.memoBest.get(key);
    if (found === undefined) {
      found = this.bestOf(this.adminClosure(i, mfa), mfa);
      this.memoBest.set(key, found);
    }
    return found;
  }

  /** What holders starting at these nodes reach, per account. */
  reach(starts: string[], mfa: boolean): Map<string, AccountReach> {
    const indexes = starts.map((s) => this.indexOf.get(s));
    if (indexes.some((i) => i === undefined) || this.cyclic) return this.bestOf(this.closure(starts, mfa), mfa);
    const key = `${this.world()}|${mfa ? 1 : 0}|${indexes.map((i) => this.fingerprintAt(i!)).join(',')}`;
    const stored = reachStore.get(key);
    if (stored !== undefined && this.holds(stored)) return stored.reach;
    const c = this.closure(starts, mfa);
    const reach = this.bestOf(c, mfa);
    if (!this.cyclic) {
      const weight = reach.size + 1;
      if ((storedReach += weight) > MAX_STORED_REACH) {
        reachStore.clear();
        storedReach = weight;
      }
      let reached: Reached | undefined;
      reachStore.set(key, { reach, reached: () => (reached ??= this.reachedOf(c, mfa)) });
    }
    return reach;
  }

  /** True when every node a stored closure reached is here, with the same fingerprint. */
  private holds(stored: StoredReach): boolean {
    this.byIdKey ??= new Map();
    // Nodes registered since the last look (synthetic starts) too.
    for (let i = this.byIdKey.size; i < this.list.length; i++) this.byIdKey.set(this.idKeyAt(i), i);
    return this.holdsReached(stored.reached());
  }
  /** Per Reached (shared by every closure merging the same admin closure): whether it holds here. */
  private readonly held = new WeakMap<Reached, boolean>();
  private holdsReached(reached: Reached): boolean {
    let found = this.held.get(reached);
    if (found !== undefined) return found;
    found = true;
    for (let k = 0; k < reached.ids.length && found; k++) {
      const i = this.byIdKey!.get(reached.ids[k]);
      if (i === undefined || this.fingerprintAt(i) !== reached.fingerprints[k]) found = false;
    }
    for (let k = 0; k < reached.admins.length && found; k++) if (!this.holdsReached(reached.admins[k])) found = false;
    this.held.set(reached, found);
    return found;
  }
}

function chainOfOffer(r: Offer): Hop[] {
  if (r.chain === undefined) r.chain = r.build();
  return r.chain;
}

/** The level of allowed actions under an account's enforced services (see AccessGraph.levelOf). */
function levelOfAllowed(allowed: Set<string>, selfOnly: Set<string>, services: string[] | undefined): LevelEvidence {
  // Assuming a role is worth what the role holds: the assume edge says so, not the level.
  let actions: string[] = [...allowed].filter((a) => !EDGE_ONLY_ACTIONS.has(a));
  if (services !== undefined) {
    const keep = new Set(services);
    actions = actions.filter((a) => keep.has(a.slice(0, a.indexOf(':'))) || alwaysAllowed(a));
  }
  return levelOfActions(actions, selfOnly);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * A reach against the one held: > 0 better, < 0 worse, 0 a tie (then the
 * chains' labels decide). Higher level; then a chain without an expiry,
 * then decided, then shorter.
 */
function compareOffers(level: AccessLevel, until: string | undefined, undecided: boolean, length: number, b: Offer): number {
  const byLevel = compareAccessLevel(level, b.level);
  if (byLevel !== 0) return byLevel;
  if ((until === undefined) !== (b.until === undefined)) return until === undefined ? 1 : -1;
  if (undecided !== b.undecided) return undecided ? -1 : 1;
  if (length !== b.length) return length < b.length ? 1 : -1;
  return 0;
}

export function chainText(chain: Hop[]): string {
  return chain.map((h) => h.label).join(' -> ');
}

/** Per document (interned): whether it reads a principal tag, and the user patterns it names (see userPatterns). */
const readsTagsOf = new WeakMap<object, boolean>();
const patternsOf = new WeakMap<PolicyDocument, string[]>();

function readsTags(doc: unknown): boolean {
  if (doc === null || typeof doc !== 'object') return /principaltag/i.test(JSON.stringify(doc));
  let found = readsTagsOf.get(doc);
  if (found === undefined) readsTagsOf.set(doc, (found = /principaltag/i.test(JSON.stringify(doc))));
  return found;
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
  return docs.some((d) => readsTags(d !== null && typeof d === 'object' ? internDocument(d as PolicyDocument) : d));
}

/** The strings of one document that may name users apart (see userPatterns), cached per (interned) document. */
function documentUserPatterns(doc: PolicyDocument): string[] {
  let found = patternsOf.get(doc);
  if (found !== undefined) return found;
  found = [];
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
      found.push(x);
    }
  }
  patternsOf.set(doc, found);
  return found;
}

/** Patterns in any document that may name users apart (not `user/*`, not `user/${aws:username}`). */
function userPatterns(estate: Estate): string[] {
  const out = new Set<string>();
  const scan = (doc: PolicyDocument) => {
    for (const x of documentUserPatterns(internDocument(doc))) out.add(x);
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

const patternRegExps = new Map<string, RegExp>();
function patternHits(pattern: string, arn: string): boolean {
  let re = patternRegExps.get(pattern);
  if (re === undefined) {
    const body = pattern
      .replace(/\$\{[^}]*\}/g, '*')
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    if (patternRegExps.size > 10_000) patternRegExps.clear();
    patternRegExps.set(pattern, (re = new RegExp(`^${body}$`)));
  }
  return re.test(arn);
}

export type { PolicyDocument };
