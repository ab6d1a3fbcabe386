/**
 * identity-center: IAM Identity Center's ways of becoming a role
 * (organization.people: identity-center, docs/identity-center.md).
 *
 * - An identity store user in a group holds, through the access portal
 *   (sso:GetRoleCredentials), the `AWSReservedSSO_<permission set>_*` role
 *   of every account assignment of that group. Those roles trust only the
 *   account's Identity Center SAML provider: no assume edge reaches them.
 * - identity-center-admin: whoever administers Identity Center holds more.
 *   In the administering account, a principal allowed to write group
 *   memberships or users (identitystore:CreateGroupMembership,
 *   identitystore:UpdateUser ...) can put itself, or a user it takes over,
 *   in any group: every assignment's role (like `join` on IAM users). One
 *   allowed to write permission sets or assignments
 *   (sso:CreateAccountAssignment, sso:PutInlinePolicyToPermissionSet ...)
 *   can give any group any policy on any account it may assign: admin of
 *   each of them (a delegated administrator: every account but the
 *   management account). Admin of the administering account holds both.
 *   Resource-blind (an action allowed somewhere counts): errs high.
 */
import type { EdgeKindModule, GraphEdge } from '../graph-types';

/** Identity store writes that put a principal in a group: a membership, or a member taken over (email, name). */
export const IDENTITY_CENTER_JOIN_ACTIONS = [
  'identitystore:CreateGroupMembership',
  'identitystore:UpdateUser',
  'sso-directory:AddMemberToGroup',
  'sso-directory:UpdateUser',
];

/** Identity Center writes that give a group new access: assignments and permission set policies. */
export const IDENTITY_CENTER_ASSIGN_ACTIONS = [
  'sso:CreateAccountAssignment',
  'sso:PutInlinePolicyToPermissionSet',
  'sso:AttachManagedPolicyToPermissionSet',
  'sso:AttachCustomerManagedPolicyReferenceToPermissionSet',
  'sso:ProvisionPermissionSet',
];

/** The action an identity store user's access portal calls for a role's credentials. */
export const PORTAL_ACTION = 'sso:GetRoleCredentials';

export const identityCenter: EdgeKindModule = {
  kind: 'identity-center',
  edges(node, _mfa, ctx) {
    const center = ctx.estate.identityCenter;
    if (center === undefined) return [];
    const out: GraphEdge[] = [];
    const seen = new Set<string>();
    const toRoles = (groups: string[] | undefined, kind: GraphEdge['kind'], action: string) => {
      for (const a of ctx.identityCenterAssignments(groups)) {
        const to = `role:${a.role}`;
        if (seen.has(to) || ctx.node(to) === undefined) continue;
        seen.add(to);
        out.push({ to, kind, action, resource: a.role });
      }
    };
    if (node.identityStore) {
      toRoles(node.groups ?? [], 'identity-center', PORTAL_ACTION);
      return out;
    }
    if (node.account !== center.account) return out;
    let join: string | undefined;
    let assign: string | undefined;
    if (node.kind === 'admin') {
      join = IDENTITY_CENTER_JOIN_ACTIONS[0];
      assign = IDENTITY_CENTER_ASSIGN_ACTIONS[0];
    } else if (node.kind === 'user' || node.kind === 'role') {
      const allowed = ctx.allowedActions(node);
      join = IDENTITY_CENTER_JOIN_ACTIONS.find((a) => allowed.has(a));
      assign = IDENTITY_CENTER_ASSIGN_ACTIONS.find((a) => allowed.has(a));
    } else {
      return out;
    }
    if (assign !== undefined) {
      for (const account of center.assignable) {
        const to = `admin:${account}`;
        if (to === node.id || ctx.node(to) === undefined) continue;
        out.push({ to, kind: 'identity-center-admin', action: assign });
      }
    }
    if (join !== undefined) toRoles(undefined, 'identity-center-admin', join);
    return out;
  },
};
