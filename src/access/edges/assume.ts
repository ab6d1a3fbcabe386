/**
 * assume: the caller becomes a session of a role when its identity
 * policies allow sts:AssumeRole on the role's ARN (not needed when the
 * role, in the caller's own account, names the caller in its trust), the
 * role's trust admits the caller, the caller account's SCPs allow it and
 * the role account's RCPs allow it. An "admin of X" node and machine
 * principals have unknown (or any) identity policies: any role whose trust
 * admits them.
 */
import type { EstateRole, PolicyDocument } from '../estate';
import {
  callerShape,
  decider,
  evaluate,
  layersDecider,
  patternMatches,
  substitute,
  type Caller,
  type Decision,
  type Request,
} from '../evaluate';
import type { EdgeContext, EdgeKindModule, GraphEdge, GraphNode } from '../graph-types';

const ACTION = 'sts:AssumeRole';

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The statements of a document that allow sts:AssumeRole (NotAction included). */
function assumeStatements(doc: PolicyDocument): PolicyDocument['Statement'] {
  return doc.Statement.filter((s) => {
    if (s.Effect !== 'Allow') return false;
    return s.NotAction !== undefined
      ? !list(s.NotAction).some((p) => patternMatches(p, ACTION, true))
      : list(s.Action).some((p) => patternMatches(p, ACTION, true));
  });
}

/**
 * A document's roles among some (those trusting an account): in the order
 * its statements name them, or `all` (a NotResource statement). `caller`
 * resolves policy variables.
 */
function rolesNamedBy(
  statements: PolicyDocument['Statement'],
  trusting: ReadonlySet<EstateRole>,
  isTrusting: (r: EstateRole) => boolean,
  caller: Caller,
  ctx: EdgeContext,
  out: Set<EstateRole>,
): 'all' | undefined {
  for (const s of statements) {
    if (s.NotResource !== undefined) return 'all';
    for (const resource of list(s.Resource)) {
      const { pattern } = substitute(resource, caller);
      if (!pattern.includes('*') && !pattern.includes('?')) {
        const r = ctx.roleByArn.get(pattern);
        if (r && isTrusting(r)) out.add(r);
      } else {
        for (const r of trusting) if (patternMatches(pattern, r.arn)) out.add(r);
      }
    }
  }
  return undefined;
}

/** Per document: its sts:AssumeRole statements, and whether they read the caller (a policy variable in a resource). */
const assumeParts = new WeakMap<PolicyDocument, { statements: PolicyDocument['Statement']; callerFree: boolean }>();
/** Per document and set of trusting roles (a caller-free document): the roles it names, in order, or `all`. */
const namedRoles = new WeakMap<PolicyDocument, WeakMap<ReadonlySet<EstateRole>, EstateRole[] | 'all'>>();

function assumePartOf(doc: PolicyDocument): { statements: PolicyDocument['Statement']; callerFree: boolean } {
  let found = assumeParts.get(doc);
  if (found === undefined) {
    const statements = assumeStatements(doc);
    const callerFree = statements.every((s) => !list(s.Resource).some((r) => r.includes('${')));
    assumeParts.set(doc, (found = { statements, callerFree }));
  }
  return found;
}

const NONE: ReadonlySet<EstateRole> = new Set();

/**
 * Roles the node may assume, a superset decided one by one after: those
 * whose trust names the caller's account or ARN (or everyone), and that its
 * identity documents may allow sts:AssumeRole on. A document naming no
 * policy variable names the same roles for every holder: decided once per
 * document (and account trusted).
 */
function candidates(node: GraphNode, ctx: EdgeContext): ReadonlySet<EstateRole> {
  const out = new Set<EstateRole>();
  const caller = ctx.callerOf(node, true);
  // The roles trusting the caller's account (one set per account, shared), and those naming the caller.
  const base = caller.account !== undefined ? ctx.trustingSet(caller.account) : NONE;
  const naming = node.arn !== undefined ? ctx.rolesNaming(node.arn) : [];
  let all: ReadonlySet<EstateRole> | undefined;
  const trusting = (): ReadonlySet<EstateRole> => {
    if (all === undefined) {
      if (naming.length === 0) all = base;
      else {
        const both = new Set(base);
        for (const r of naming) both.add(r);
        all = both;
      }
    }
    return all;
  };
  if (node.allowAll || (base.size === 0 && naming.length === 0)) return trusting();
  const isTrusting = (r: EstateRole) => base.has(r) || naming.includes(r);
  for (const doc of node.documents ?? []) {
    const { statements, callerFree } = assumePartOf(doc);
    if (statements.length === 0) continue;
    if (callerFree && naming.length === 0) {
      let byTrusting = namedRoles.get(doc);
      if (byTrusting === undefined) namedRoles.set(doc, (byTrusting = new WeakMap()));
      let roles = byTrusting.get(base);
      if (roles === undefined) {
        const own = new Set<EstateRole>();
        roles = rolesNamedBy(statements, base, isTrusting, caller, ctx, own) ?? [...own];
        byTrusting.set(base, roles);
      }
      if (roles === 'all') return trusting();
      for (const r of roles) out.add(r);
      continue;
    }
    if (rolesNamedBy(statements, trusting(), isTrusting, caller, ctx, out) === 'all') return trusting();
  }
  // Named in a trust in its own account: no identity policy needed.
  for (const r of naming) out.add(r);
  return out;
}

/** True when the trust names exactly this principal ARN (then, in its own account, no identity policy is needed). */
function namesPrincipal(trust: PolicyDocument, arn: string): boolean {
  return trust.Statement.some(
    (s) => s.Effect === 'Allow' && s.Principal !== undefined && s.Principal !== '*' && list(s.Principal.AWS).includes(arn),
  );
}

const ALLOWED: Decision = { allowed: true, undecided: false };

/** Trusts repeat (every function role trusts the identity account alike): decided once per trust text and caller. */
const trustKeys = new WeakMap<EstateRole, number>();
const trustIds = new Map<string, number>();
const callerKeys = new WeakMap<Caller, number>();
const callerIds = new Map<string, number>();
/** By caller id, then trust id. */
const trustDecisions = new Map<number, Map<number, Decision>>();
let trustDecided = 0;
/** A small number per distinct text: keys of the decision cache stay short (hashing long JSON per edge was a hot spot). */
function intern(ids: Map<string, number>, text: string): number {
  let id = ids.get(text);
  if (id === undefined) ids.set(text, (id = ids.size));
  return id;
}
function trustDecision(role: EstateRole, caller: Caller): Decision {
  let key = trustKeys.get(role);
  if (key === undefined) trustKeys.set(role, (key = intern(trustIds, JSON.stringify(role.trust))));
  let who = callerKeys.get(caller);
  if (who === undefined) callerKeys.set(caller, (who = intern(callerIds, JSON.stringify(caller))));
  // A trust reads no resource but its own role: only the caller matters.
  let byTrust = trustDecisions.get(who);
  if (byTrust === undefined) trustDecisions.set(who, (byTrust = new Map()));
  let found = byTrust.get(key);
  if (found === undefined) {
    if (trustDecided++ > 200_000) {
      trustDecisions.clear();
      trustDecisions.set(who, byTrust);
      trustDecided = 0;
    }
    const req: Request = { caller, action: ACTION, resource: role.arn };
    byTrust.set(key, (found = evaluate([role.trust], req)));
  }
  return found;
}

/** A role's node id, built once per role (edges to it are many). */
const roleIds = new WeakMap<EstateRole, string>();
function roleNode(role: EstateRole): string {
  let id = roleIds.get(role);
  if (id === undefined) roleIds.set(role, (id = `role:${role.arn}`));
  return id;
}

/** The node's side of its assume edges, bound once per node (see decider): its documents and its account's SCPs. */
interface Sides {
  identity?: (resource: string) => Decision;
  scp?: (resource: string) => Decision;
  /** By the role's account: its RCPs. */
  rcps: Map<string, (resource: string) => Decision>;
}

function sidesOf(node: GraphNode, caller: Caller, ctx: EdgeContext): Sides {
  const callerAccount = caller.account !== undefined ? ctx.accountById(caller.account) : undefined;
  return {
    ...(node.allowAll ? {} : { identity: decider(node.documents ?? [], caller, ACTION) }),
    ...(callerAccount && !callerAccount.management ? { scp: layersDecider(callerAccount.scps, caller, ACTION) } : {}),
    rcps: new Map(),
  };
}

/** Edges without a condition left undecided or an end: one object per role, shared by every node assuming it. */
const plainEdges = new WeakMap<EstateRole, GraphEdge>();

/** The assume edge from a node to one role, or undefined when some side refuses. */
export function assumeEdge(
  node: GraphNode,
  role: EstateRole,
  mfa: boolean,
  ctx: EdgeContext,
  sides: Sides = sidesOf(node, ctx.callerOf(node, mfa), ctx),
): GraphEdge | undefined {
  const caller = ctx.callerOf(node, mfa);
  const trust = trustDecision(role, caller);
  if (!trust.allowed) return undefined;
  const roleAccount = ctx.account(role.account);
  const named = node.arn !== undefined && !caller.generic && caller.account === roleAccount?.id && namesPrincipal(role.trust, node.arn);
  const identity = sides.identity === undefined ? ALLOWED : sides.identity(role.arn);
  if (!identity.allowed && !named) return undefined;
  const scp = sides.scp === undefined ? ALLOWED : sides.scp(role.arn);
  if (!scp.allowed) return undefined;
  let rcp = ALLOWED;
  if (roleAccount && !roleAccount.management && roleAccount.rcps !== undefined && roleAccount.rcps.length > 0) {
    let bound = sides.rcps.get(roleAccount.name);
    if (bound === undefined) sides.rcps.set(roleAccount.name, (bound = layersDecider(roleAccount.rcps, caller, ACTION)));
    rcp = bound(role.arn);
  }
  if (!rcp.allowed) return undefined;
  const held = identity.allowed ? identity : ALLOWED;
  let until = trust.until ? trust.until : undefined;
  if (held.until && (until === undefined || held.until < until)) until = held.until;
  if (scp.until && (until === undefined || scp.until < until)) until = scp.until;
  if (rcp.until && (until === undefined || rcp.until < until)) until = rcp.until;
  const undecided = trust.undecided || held.undecided || scp.undecided || rcp.undecided;
  if (!undecided && until === undefined) {
    let plain = plainEdges.get(role);
    if (plain === undefined) plainEdges.set(role, (plain = { to: roleNode(role), kind: 'assume', action: ACTION, resource: role.arn }));
    return plain;
  }
  const edge: GraphEdge = { to: roleNode(role), kind: 'assume', action: ACTION, resource: role.arn };
  if (undecided) edge.undecided = true;
  if (until !== undefined) edge.until = until;
  return edge;
}

/**
 * Per document and set of trusting roles: the roles it names, and whether
 * one of them is in an account with RCPs (then the caller matters there);
 * per trust decisions of a caller (one per distinct trust among those
 * roles), the edges to them.
 */
interface SharedPart {
  roles: EstateRole[];
  rcp: boolean;
  /** The distinct trusts among the roles: a role holding each. */
  trusts: EstateRole[];
  edges: Map<string, GraphEdge[]>;
}
const sharedParts = new WeakMap<PolicyDocument, WeakMap<ReadonlySet<EstateRole>, SharedPart | 'all'>>();

function trustId(role: EstateRole): number {
  let key = trustKeys.get(role);
  if (key === undefined) trustKeys.set(role, (key = intern(trustIds, JSON.stringify(role.trust))));
  return key;
}

function sharedPart(doc: PolicyDocument, base: ReadonlySet<EstateRole>, caller: Caller, ctx: EdgeContext): SharedPart | 'all' {
  let byTrusting = sharedParts.get(doc);
  if (byTrusting === undefined) sharedParts.set(doc, (byTrusting = new WeakMap()));
  let found = byTrusting.get(base);
  if (found === undefined) {
    const own = new Set<EstateRole>();
    const named = rolesNamedBy(assumePartOf(doc).statements, base, (r) => base.has(r), caller, ctx, own);
    if (named === 'all') found = 'all';
    else {
      const roles = [...own];
      const trusts = new Map<number, EstateRole>();
      for (const r of roles) if (!trusts.has(trustId(r))) trusts.set(trustId(r), r);
      const rcp = roles.some((r) => {
        const a = ctx.account(r.account);
        return a !== undefined && !a.management && a.rcps !== undefined && a.rcps.length > 0;
      });
      found = { roles, rcp, trusts: [...trusts.values()], edges: new Map() };
    }
    byTrusting.set(base, found);
  }
  return found;
}

function decisionKey(d: Decision): string {
  return `${d.allowed ? 1 : 0}${d.undecided ? 1 : 0}${d.until ?? ''}`;
}

/**
 * The common case, without deciding each role for each holder: a user whose
 * documents each either say nothing on sts:AssumeRole or allow it on some
 * roles (no Deny, nothing read of the caller), no two naming the same role,
 * without SCPs or RCPs in the way and named in no trust. Then the edges to
 * one document's roles are every such holder's alike, given how the roles'
 * trusts decide the holder: kept per document and those trust decisions.
 * The same edges as the general path below, in the same order (it builds
 * them, the first time). Undefined where the case does not hold.
 */
function sharedEdges(node: GraphNode, mfa: boolean, ctx: EdgeContext): GraphEdge[] | undefined {
  if (node.kind !== 'user' || node.allowAll || node.identityStore || node.arn === undefined) return undefined;
  const caller = ctx.callerOf(node, mfa);
  if (caller.account === undefined || caller.generic || ctx.rolesNaming(node.arn).length > 0) return undefined;
  const base = ctx.trustingSet(caller.account);
  if (base.size === 0) return undefined;
  const callerAccount = ctx.accountById(caller.account);
  if (callerAccount && !callerAccount.management && callerAccount.scps !== undefined && callerAccount.scps.length > 0) return undefined;
  const parts: SharedPart[] = [];
  const callers: string[] = [];
  for (const doc of node.documents ?? []) {
    const shape = callerShape(doc, ACTION, caller);
    if (shape === undefined) return undefined;
    // A document allowing sts:AssumeRole to no avail still makes candidates, in its own order: the general path.
    if (shape.kind === 'silent') {
      if (assumePartOf(doc).statements.length > 0) return undefined;
      continue;
    }
    if (!assumePartOf(doc).callerFree) return undefined;
    const part = sharedPart(doc, base, caller, ctx);
    if (part === 'all' || part.rcp) return undefined;
    parts.push(part);
    callers.push(shape.caller);
  }
  if (parts.length > 1) {
    const seen = new Set<EstateRole>();
    for (const part of parts) {
      for (const r of part.roles) {
        if (seen.has(r)) return undefined;
        seen.add(r);
      }
    }
  }
  const out: GraphEdge[] = [];
  let sides: Sides | undefined;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const key = `${callers[k]}|${part.trusts.map((r) => decisionKey(trustDecision(r, caller))).join(',')}`;
    let edges = part.edges.get(key);
    if (edges === undefined) {
      edges = [];
      for (const role of part.roles) {
        if (node.arn === role.arn) continue;
        sides ??= sidesOf(node, caller, ctx);
        const edge = assumeEdge(node, role, mfa, ctx, sides);
        if (edge) edges.push(edge);
      }
      part.edges.set(key, edges);
    }
    for (const e of edges) out.push(e);
  }
  return out;
}

export const assume: EdgeKindModule = {
  kind: 'assume',
  edges(node, mfa, ctx) {
    if (node.kind === 'machine' && node.machineKind === 'ambient') return [];
    const shared = sharedEdges(node, mfa, ctx);
    if (shared !== undefined) return shared;
    const out: GraphEdge[] = [];
    let sides: Sides | undefined;
    for (const role of candidates(node, ctx)) {
      if (node.arn === role.arn) continue;
      sides ??= sidesOf(node, ctx.callerOf(node, mfa), ctx);
      const edge = assumeEdge(node, role, mfa, ctx, sides);
      if (edge) out.push(edge);
    }
    return out;
  },
};
