/**
 * The floor: the least a hand-written CDKTF app can do to emit the same
 * resources as rolecall's synth (same types, counts and references), from
 * pre-made inputs: policies are ready JSON strings, providers are imported
 * by path, constructs are flat, and no rolecall code is loaded.
 */
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamGroupMembership } from '@cdktf/provider-aws/lib/iam-group-membership';
import { IamGroupPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-group-policies-exclusive';
import { IamGroupPolicyAttachment } from '@cdktf/provider-aws/lib/iam-group-policy-attachment';
import { IamGroupPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-group-policy-attachments-exclusive';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserLoginProfile } from '@cdktf/provider-aws/lib/iam-user-login-profile';
import { IamUserPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-user-policies-exclusive';
import { IamUserPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-user-policy-attachments-exclusive';
import { IamUserGroupMembership } from '@cdktf/provider-aws/lib/iam-user-group-membership';

/** Everything the floor emits, already computed (bench/phase.ts `plan` writes it). */
export interface FloorInput {
  stacks: FloorStack[];
}

export interface FloorStack {
  id: string;
  region: string;
  allowedAccountIds: string[];
  assumeRoleArn?: string;
  defaultTags: Record<string, string>;
  statePath: string;
  /** People shards (organization.peopleShards): each person's aws_iam_user_group_membership, no group member lists. */
  perUserMemberships?: boolean;
  groups: { name: string; path: string; policies: { name: string; path: string; description: string; json: string }[] }[];
  users: {
    name: string;
    path: string;
    groups: string[];
    tags: Record<string, string>;
    loginPgp?: string;
    passwordLength?: number;
    keyPgp?: string;
  }[];
  roles: {
    name: string;
    path: string;
    description: string;
    maxSessionDuration: number;
    trustJson: string;
    tags: Record<string, string>;
    managed: string[];
    inline: { name: string; json: string }[];
  }[];
  passwordPolicy?: Record<string, number | boolean>;
}

export function synthesizeFloor(input: FloorInput, outdir: string): void {
  const app = new App({ outdir, hclOutput: false });
  for (const s of input.stacks) {
    const stack = new TerraformStack(app, s.id);
    new AwsProvider(stack, 'aws', {
      region: s.region,
      allowedAccountIds: s.allowedAccountIds,
      defaultTags: [{ tags: s.defaultTags }],
      assumeRole: s.assumeRoleArn ? [{ roleArn: s.assumeRoleArn, sessionName: 'rolecall' }] : undefined,
    });
    new LocalBackend(stack, { path: s.statePath });

    const userNames = new Map<string, string>();
    for (const u of s.users) {
      const name = new IamUser(stack, `u-${u.name}`, { name: u.name, path: u.path, forceDestroy: true, tags: u.tags }).name;
      userNames.set(u.name, name);
      new IamUserPolicyAttachmentsExclusive(stack, `ux-${u.name}`, { userName: name, policyArns: [] });
      new IamUserPoliciesExclusive(stack, `ui-${u.name}`, { userName: name, policyNames: [] });
      if (s.perUserMemberships) new IamUserGroupMembership(stack, `ug-${u.name}`, { user: name, groups: [...u.groups] });
    }
    for (const g of s.groups) {
      const group = new IamGroup(stack, `g-${g.name}`, { name: g.name, path: g.path });
      const arns: string[] = [];
      const attachments: IamGroupPolicyAttachment[] = [];
      for (const p of g.policies) {
        const policy = new IamPolicy(stack, `p-${p.name}`, { name: p.name, path: p.path, description: p.description, policy: p.json });
        attachments.push(new IamGroupPolicyAttachment(stack, `pa-${p.name}`, { group: group.name, policyArn: policy.arn }));
        arns.push(policy.arn);
      }
      new IamGroupPolicyAttachmentsExclusive(stack, `gx-${g.name}`, { groupName: group.name, policyArns: arns, dependsOn: attachments });
      new IamGroupPoliciesExclusive(stack, `gi-${g.name}`, { groupName: group.name, policyNames: [] });
      if (!s.perUserMemberships) {
        const members = s.users.filter((u) => u.groups.includes(g.name)).map((u) => userNames.get(u.name)!);
        new IamGroupMembership(stack, `m-${g.name}`, { name: `rolecall-${g.name}-members`, group: group.name, users: members });
      }
    }
    for (const u of s.users) {
      const user = { name: userNames.get(u.name)! };
      if (u.loginPgp) {
        const profile = new IamUserLoginProfile(stack, `lp-${u.name}`, {
          user: user.name,
          pgpKey: u.loginPgp,
          passwordLength: u.passwordLength,
          passwordResetRequired: true,
          lifecycle: { ignoreChanges: ['password_length', 'password_reset_required', 'pgp_key'] },
        });
        new TerraformOutput(stack, `${u.name}_password_encrypted`, { value: profile.encryptedPassword });
        new TerraformOutput(stack, `${u.name}_password_key_fingerprint`, { value: profile.keyFingerprint });
      }
      if (u.keyPgp) {
        const key = new IamAccessKey(stack, `k-${u.name}`, { user: user.name, pgpKey: u.keyPgp });
        new TerraformOutput(stack, `${u.name}_access_key_id`, { value: key.id });
        new TerraformOutput(stack, `${u.name}_secret_encrypted`, { value: key.encryptedSecret });
        new TerraformOutput(stack, `${u.name}_secret_key_fingerprint`, { value: key.keyFingerprint });
      }
    }
    for (const r of s.roles) {
      const role = new IamRole(stack, `r-${r.name}`, {
        name: r.name,
        path: r.path,
        description: r.description,
        maxSessionDuration: r.maxSessionDuration,
        assumeRolePolicy: r.trustJson,
        tags: r.tags,
      });
      const attachments = r.managed.map(
        (arn) =>
          new IamRolePolicyAttachment(stack, `ra-${r.name}-${arn.replace(/[^A-Za-z0-9-]/g, '-')}`, { role: role.name, policyArn: arn }),
      );
      const inlines = r.inline.map(
        (i) => new IamRolePolicy(stack, `ri-${r.name}-${i.name}`, { role: role.name, name: i.name, policy: i.json }),
      );
      new IamRolePolicyAttachmentsExclusive(stack, `rx-${r.name}`, { roleName: role.name, policyArns: r.managed, dependsOn: attachments });
      new IamRolePoliciesExclusive(stack, `rix-${r.name}`, {
        roleName: role.name,
        policyNames: r.inline.map((i) => i.name),
        dependsOn: inlines,
      });
    }
    if (s.passwordPolicy) new IamAccountPasswordPolicy(stack, 'password-policy', s.passwordPolicy);
  }
  app.synth();
}
