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
import { evaluate, evaluateLayers, patternMatches, substitute, type Caller, type Decision, type Request } from '../evaluate';
import type { EdgeContext, EdgeKindModule, GraphEdge, GraphNode } from '../graph';

const ACTION = 'sts:AssumeRole';

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Roles the node may assume, a superset decided one by one after: those
 * whose trust names the caller's account or ARN (or everyone), and that its
 * identity documents may allow sts:AssumeRole on.
 */
function candidates(node: GraphNode, ctx: EdgeContext): Set<EstateRole> {
  const out = new Set<EstateRole>();
  const caller = ctx.callerOf(node, true);
  const trusting = new Set<EstateRole>(caller.account !== undefined ? ctx.rolesTrusting(caller.account) : []);
  if (node.arn !== undefined) for (const r of ctx.rolesNaming(node.arn)) trusting.add(r);
  if (node.allowAll || trusting.size === 0) return trusting;
  for (const doc of node.documents ?? []) {
    for (const s of doc.Statement) {
      if (s.Effect !== 'Allow') continue;
      const names =
        s.NotAction !== undefined
          ? !list(s.NotAction).some((p) => patternMatches(p, ACTION, true))
          : list(s.Action).some((p) => patternMatches(p, ACTION, true));
      if (!names) continue;
      if (s.NotResource !== undefined) return trusting;
      for (const resource of list(s.Resource)) {
        const { pattern } = substitute(resource, caller);
        if (!pattern.includes('*') && !pattern.includes('?')) {
          const r = ctx.roleByArn.get(pattern);
          if (r && trusting.has(r)) out.add(r);
        } else {
          for (const r of trusting) if (patternMatches(pattern, r.arn)) out.add(r);
        }
      }
    }
  }
  // Named in a trust in its own account: no identity policy needed.
  if (node.arn !== undefined) for (const r of ctx.rolesNaming(node.arn)) out.add(r);
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
const trustDecisions = new Map<string, Decision>();
/** A small number per distinct text: keys of the decision cache stay short (hashing long JSON per edge was a hot spot). */
function intern(ids: Map<string, number>, text: string): number {
  let id = ids.get(text);
  if (id === undefined) ids.set(text, (id = ids.size));
  return id;
}
function trustDecision(role: EstateRole, req: Request): Decision {
  let key = trustKeys.get(role);
  if (key === undefined) trustKeys.set(role, (key = intern(trustIds, JSON.stringify(role.trust))));
  let who = callerKeys.get(req.caller);
  if (who === undefined) callerKeys.set(req.caller, (who = intern(callerIds, JSON.stringify(req.caller))));
  // A trust reads no resource but its own role: only the caller matters.
  const both = `${who}:${key}`;
  let found = trustDecisions.get(both);
  if (found === undefined) {
    if (trustDecisions.size > 200_000) trustDecisions.clear();
    trustDecisions.set(both, (found = evaluate([role.trust], req)));
  }
  return found;
}

/** The assume edge from a node to one role, or undefined when some side refuses. */
export function assumeEdge(node: GraphNode, role: EstateRole, mfa: boolean, ctx: EdgeContext): GraphEdge | undefined {
  const caller = ctx.callerOf(node, mfa);
  const req: Request = { caller, action: ACTION, resource: role.arn };
  const trust = trustDecision(role, req);
  if (!trust.allowed) return undefined;
  const roleAccount = ctx.account(role.account);
  const named = node.arn !== undefined && !caller.generic && caller.account === roleAccount?.id && namesPrincipal(role.trust, node.arn);
  const identity = node.allowAll ? ALLOWED : evaluate(node.documents ?? [], req);
  if (!identity.allowed && !named) return undefined;
  const callerAccount = caller.account !== undefined ? ctx.accountById(caller.account) : undefined;
  const scp = callerAccount && !callerAccount.management ? evaluateLayers(callerAccount.scps, req) : ALLOWED;
  if (!scp.allowed) return undefined;
  const rcp = roleAccount && !roleAccount.management ? evaluateLayers(roleAccount.rcps, req) : ALLOWED;
  if (!rcp.allowed) return undefined;
  const parts = [trust, identity.allowed ? identity : ALLOWED, scp, rcp];
  const untils = parts.flatMap((d) => (d.until ? [d.until] : [])).sort();
  return {
    to: `role:${role.arn}`,
    kind: 'assume',
    action: ACTION,
    resource: role.arn,
    ...(parts.some((d) => d.undecided) ? { undecided: true } : {}),
    ...(untils.length > 0 ? { until: untils[0] } : {}),
  };
}

export const assume: EdgeKindModule = {
  kind: 'assume',
  edges(node, mfa, ctx) {
    if (node.kind === 'machine' && node.machineKind === 'ambient') return [];
    const out: GraphEdge[] = [];
    for (const role of candidates(node, ctx)) {
      if (node.arn === role.arn) continue;
      const edge = assumeEdge(node, role, mfa, ctx);
      if (edge) out.push(edge);
    }
    return out;
  },
};
