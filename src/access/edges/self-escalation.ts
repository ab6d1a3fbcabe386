/**
 * self-escalation: IAM writes a principal may make on itself, each enough
 * to give itself anything in its account (admin of it):
 * - iam:AttachUserPolicy / iam:PutUserPolicy on its own user (also through
 *   `user/${aws:username}`), which the level counts at its catalog level
 *   only (docs/access-report.md): the edge says what it is worth;
 * - iam:AttachGroupPolicy / iam:PutGroupPolicy on a group it is in;
 * - iam:AttachRolePolicy / iam:PutRolePolicy / iam:UpdateAssumeRolePolicy on its own role;
 * - iam:CreatePolicyVersion / iam:SetDefaultPolicyVersion on a customer managed policy it holds.
 * Each decided by the evaluator on the exact resource, under the account's SCPs.
 */
import { evaluate, evaluateLayers, type Request } from '../evaluate';
import type { EdgeKindModule, GraphEdge, GraphNode, EdgeContext } from '../graph-types';

const USER_ACTIONS = ['iam:AttachUserPolicy', 'iam:PutUserPolicy'];
const GROUP_ACTIONS = ['iam:AttachGroupPolicy', 'iam:PutGroupPolicy'];
const ROLE_ACTIONS = ['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy'];
const POLICY_ACTIONS = ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'];

function targets(node: GraphNode): Array<{ actions: string[]; resource: string }> {
  const out: Array<{ actions: string[]; resource: string }> = [];
  if (node.arn === undefined) return out;
  if (node.kind === 'user') {
    out.push({ actions: USER_ACTIONS, resource: node.arn });
    for (const g of node.groups ?? []) out.push({ actions: GROUP_ACTIONS, resource: g });
  } else if (node.kind === 'role') {
    out.push({ actions: ROLE_ACTIONS, resource: node.arn });
  }
  for (const arn of node.policyArns ?? []) out.push({ actions: POLICY_ACTIONS, resource: arn });
  return out;
}

function escalates(node: GraphNode, mfa: boolean, ctx: EdgeContext): GraphEdge | undefined {
  const account = ctx.account(node.account);
  for (const { actions, resource } of targets(node)) {
    for (const action of actions) {
      if (!ctx.mayAllow(node, action)) continue;
      const req: Request = { caller: ctx.callerOf(node, mfa), action, resource };
      const identity = evaluate(node.documents ?? [], req);
      if (!identity.allowed) continue;
      const scp = account && !account.management ? evaluateLayers(account.scps, req) : { allowed: true, undecided: false };
      if (!scp.allowed) continue;
      return {
        to: `admin:${node.account}`,
        kind: 'self-escalation',
        action,
        resource,
        ...(identity.undecided || scp.undecided ? { undecided: true } : {}),
        ...(identity.until ? { until: identity.until } : {}),
      };
    }
  }
  return undefined;
}

export const selfEscalation: EdgeKindModule = {
  kind: 'self-escalation',
  edges(node, mfa, ctx) {
    if ((node.kind !== 'user' && node.kind !== 'role') || !ctx.account(node.account)?.id) return [];
    const edge = escalates(node, mfa, ctx);
    return edge ? [edge] : [];
  },
};
