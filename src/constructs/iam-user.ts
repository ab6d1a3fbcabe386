import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserLoginProfile } from '@cdktf/provider-aws/lib/iam-user-login-profile';
import { IamUserPoliciesExclusive } from '@cdktf/provider-aws/lib/iam-user-policies-exclusive';
import { IamUserPolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-user-policy-attachments-exclusive';
import { IamUserGroupMembership } from '@cdktf/provider-aws/lib/iam-user-group-membership';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamUserPolicyAttachment } from '@cdktf/provider-aws/lib/iam-user-policy-attachment';
import { policyJson } from './policy-json';
import type { UserPlan } from '../plan/types';
import { customerPolicyArn, PERSON_OUTPUT_SUFFIXES, personOutputName } from '../plan/names';

export interface PersonUserProps {
  readonly user: UserPlan;
  /**
   * People shards (StackPlan.membership `per-user`): the person owns their
   * memberships, one aws_iam_user_group_membership listing `user.groups`.
   * Otherwise each group owns its member list (FunctionGroup).
   */
  readonly ownMemberships?: boolean;
  /** The account holding the user (the stack's): a moving person's own policies are imported by their ARN there. */
  readonly accountId?: string;
}

/**
 * A person: the IAM user and, where asked, a console password and an access
 * key, both encrypted with the person's PGP key. Group memberships belong to
 * the groups (aws_iam_group_membership in FunctionGroup): rolecall owns each
 * group's whole member list.
 *
 * - No policy of its own but time-bound memberships' (UserPlan.policies):
 *   access comes through groups otherwise. Two exclusive resources listing
 *   exactly those make a policy attached to or written on the user by hand
 *   show in the next plan, and the next apply removes it.
 * - force_destroy: offboarding must not be blocked by an MFA device or keys
 *   the person made themselves. Terraform keeps it in state only (an import
 *   reads false), so a moving person's user ignores it until the move is done.
 * - The login profile ignores password_length, password_reset_required and
 *   pgp_key after creation: changing them would replace the profile, i.e.
 *   reset the person's password.
 * - Outputs carry only encrypted values, key fingerprints and the access key
 *   id; plain secrets are never output.
 *
 * Addresses, for `new PersonUser(stack, 'user-alice', ...)`:
 *   aws_iam_user.user-alice
 *   aws_iam_user_policy_attachments_exclusive.user-alice_attachments-exclusive_<hash>
 *   aws_iam_user_policies_exclusive.user-alice_inline-exclusive_<hash>
 *   aws_iam_user_login_profile.user-alice_login-profile_<hash>
 *   aws_iam_access_key.user-alice_access-key_<hash>
 *   aws_iam_user_group_membership.user-alice_groups_<hash>   (people shards only)
 *   aws_iam_policy.user-alice_policy-<key>_<hash>, aws_iam_user_policy_attachment.user-alice_attach-<key>_<hash>
 *                                                            (time-bound memberships only)
 *   outputs alice_password_encrypted, alice_access_key_id, ... (src/plan/names.ts personOutputName)
 * The same in whichever stack holds the person, so a move between people
 * stacks is `removed` there and `import` here of the same addresses.
 *
 * A person who moved into this stack (UserPlan.movedFrom) gets an import
 * block for each resource: user, exclusive lists and login profile by user
 * name, the membership by `user/group1/group2...`, a time-bound membership's
 * policy by its ARN and its attachment by `user/ARN`, the access key by its id
 * (people.<key>.accessKeyId; the people-shards rule refuses a move without it).
 * deploy.adopt.people imports the same way, the access key when accessKeyId names it.
 */
export class PersonUser extends Construct {
  readonly user: IamUser;
  private readonly key: string;

  constructor(scope: Construct, id: string, props: PersonUserProps) {
    super(scope, id);
    const plan = props.user;
    this.key = plan.key;

    const moved = plan.movedFrom !== undefined;
    this.user = new IamUser(this, 'Default', {
      name: plan.name,
      path: plan.path,
      forceDestroy: true,
      tags: plan.tags,
      // Import reads force_destroy as false (it is state only): a move would also show `~ force_destroy = true`.
      // While the person moves the import is all; the next synth (previousCount dropped) records true, no API call.
      ...(moved ? { lifecycle: { ignoreChanges: ['force_destroy'] } } : {}),
    });
    // deploy.adopt.people: import the existing user, so its MFA devices, password and keys survive.
    if (plan.adopt || moved) this.user.importFrom(plan.name);

    // Time-bound memberships: a policy of the person's own (a group policy would apply to every member).
    const policies = (plan.policies ?? []).map((p) => {
      const policy = new IamPolicy(this, `policy-${p.key}`, {
        name: p.name,
        path: p.path,
        description: p.description,
        policy: policyJson(p.document),
      });
      const attachment = new IamUserPolicyAttachment(this, `attach-${p.key}`, { user: this.user.name, policyArn: policy.arn });
      // A moved person's own policy (time-bound membership) exists already: imported by ARN, attachment by user/ARN.
      if (moved && props.accountId !== undefined) {
        const arn = customerPolicyArn(props.accountId, p.path, p.name);
        policy.importFrom(arn);
        attachment.importFrom(`${plan.name}/${arn}`);
      }
      return { policy, attachment };
    });
    const attachments = new IamUserPolicyAttachmentsExclusive(this, 'attachments-exclusive', {
      userName: this.user.name,
      policyArns: policies.map((p) => p.policy.arn),
      ...(policies.length > 0 ? { dependsOn: policies.map((p) => p.attachment) } : {}),
    });
    const inlines = new IamUserPoliciesExclusive(this, 'inline-exclusive', { userName: this.user.name, policyNames: [] });
    if (moved) {
      attachments.importFrom(plan.name);
      inlines.importFrom(plan.name);
    }

    if (props.ownMemberships) {
      // Group names, not references: the groups live in the identity stack, applied first.
      const membership = new IamUserGroupMembership(this, 'groups', { user: this.user.name, groups: [...plan.groups] });
      if (moved) membership.importFrom([plan.name, ...plan.groups].join('/'));
    }

    if (plan.loginProfile) {
      const profile = new IamUserLoginProfile(this, 'login-profile', {
        user: this.user.name,
        pgpKey: plan.loginProfile.pgpKey,
        passwordLength: plan.loginProfile.passwordLength,
        passwordResetRequired: plan.loginProfile.passwordResetRequired,
        lifecycle: { ignoreChanges: ['password_length', 'password_reset_required', 'pgp_key'] },
      });
      // An adopted (or moved) person keeps the password they have: import the profile rather than reset it.
      if (plan.adopt || moved) profile.importFrom(plan.name);
      const [encrypted, fingerprint] = PERSON_OUTPUT_SUFFIXES.loginProfile;
      this.output(encrypted, profile.encryptedPassword, 'Console password, base64, encrypted with the PGP key');
      this.output(fingerprint, profile.keyFingerprint, 'Fingerprint of the PGP key the password is encrypted with');
    }

    if (plan.accessKey) {
      const key = new IamAccessKey(this, 'access-key', {
        user: this.user.name,
        pgpKey: plan.accessKey.pgpKey,
        // An imported key has no pgp_key in state; without this its next plan would replace it.
        ...(plan.accessKey.ignorePgpKeyChanges ? { lifecycle: { ignoreChanges: ['pgp_key'] } } : {}),
      });
      // A moved person's key, or an adopted person's existing key named by accessKeyId: imported, not created.
      if ((moved || plan.adopt) && plan.accessKeyId !== undefined) key.importFrom(plan.accessKeyId);
      const [id, secret, fingerprint] = PERSON_OUTPUT_SUFFIXES.accessKey;
      this.output(id, key.id, 'Access key id (not secret)');
      this.output(secret, key.encryptedSecret, 'Secret access key, base64, encrypted with the PGP key');
      this.output(fingerprint, key.keyFingerprint, 'Fingerprint of the PGP key the secret is encrypted with');
    }
  }

  /** Outputs get plain names (`alice_access_key_id`): people read them by hand. */
  private output(suffix: string, value: string, description: string): void {
    const out = new TerraformOutput(this, `output-${suffix}`, { value, description });
    // A Terraform identifier even for `bob.smith`; two people whose names meet are refused (RC229).
    out.overrideLogicalId(personOutputName(this.key, suffix));
  }
}
