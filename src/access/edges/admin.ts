/**
 * admin-of-account: a principal whose documents allow an `admin` action in
 * its account (an IAM write on users, groups, roles, policies or providers,
 * beyond its own user) can give itself anything there: it is admin of the
 * account. This subsumes group join (iam:AddUserToGroup), other-principal
 * takeover (iam:CreateAccessKey, iam:CreateLoginProfile,
 * iam:UpdateLoginProfile on another user, iam:UpdateAssumeRolePolicy on a
 * role) and policy edits: each is such an action (errs high: any one of
 * them counts as all of them). Ambient credentials are admin of their
 * account by definition.
 *
 * account-principal: admin of an account holds every principal in it
 * (users, roles, machine principals there); what those reach, it reaches.
 */
import type { EdgeKindModule, GraphEdge } from '../graph-types';

export const adminOfAccount: EdgeKindModule = {
  kind: 'admin-of-account',
  edges(node, _mfa, ctx) {
    if (node.account === '' || !ctx.account(node.account)?.id) return [];
    if (node.kind === 'machine') {
      return node.machineKind === 'ambient' ? [{ to: `admin:${node.account}`, kind: 'admin-of-account', action: '*' }] : [];
    }
    if (node.kind !== 'user' && node.kind !== 'role') return [];
    const level = ctx.levelOf(node);
    if (level.level !== 'admin') return [];
    return [{ to: `admin:${node.account}`, kind: 'admin-of-account', ...(level.action ? { action: level.action } : {}) }];
  },
};

export const accountPrincipal: EdgeKindModule = {
  kind: 'account-principal',
  edges(node, _mfa, ctx) {
    if (node.kind !== 'admin') return [];
    return ctx.accountNodes(node.account).map((to): GraphEdge => ({ to, kind: 'account-principal' }));
  },
};
