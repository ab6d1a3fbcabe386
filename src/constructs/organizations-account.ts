import { Construct } from 'constructs';
import { OrganizationsAccount } from '@cdktf/provider-aws/lib/organizations-account';

export interface OrganizationsMemberAccountProps {
  readonly name: string;
  readonly email: string;
  /** The root id or a reference to the OU's id. */
  readonly parentId: string;
  /** Only when creating: the role AWS puts in the new account for the management account. */
  readonly roleName?: string;
  readonly tags: Record<string, string>;
  /** An existing account id: adopt it with an import block instead of creating one. */
  readonly importId?: string;
}

/**
 * A member account, which no plan may close or recreate:
 *
 * - close_on_deletion false: even a destroy only removes the account from
 *   the organization, it never closes it.
 * - prevent_destroy: a plan that would destroy (or replace) the account fails
 *   instead; removing an account from rolecall is a deliberate
 *   `terraform state rm`.
 * - ignore_changes: email, name, role_name and iam_user_access_to_billing
 *   are ForceNew in the AWS provider (5.100.0), and role_name and
 *   iam_user_access_to_billing cannot be read back at all. Without this, an
 *   adopted account whose real name differs from its YAML key, or any edit
 *   of these values, would plan a replacement. Root email and account name
 *   are changed in the account itself, never through Terraform.
 * - parent_id is not ignored: moving an account between OUs is an in-place
 *   update (organizations:MoveAccount).
 *
 * Address, for `new OrganizationsMemberAccount(stack, 'account-production', ...)`:
 *   aws_organizations_account.account-production
 */
export class OrganizationsMemberAccount extends Construct {
  readonly account: OrganizationsAccount;

  constructor(scope: Construct, id: string, props: OrganizationsMemberAccountProps) {
    super(scope, id);
    this.account = new OrganizationsAccount(this, 'Default', {
      name: props.name,
      email: props.email,
      parentId: props.parentId,
      roleName: props.roleName,
      closeOnDeletion: false,
      tags: props.tags,
      lifecycle: {
        preventDestroy: true,
        ignoreChanges: ['email', 'name', 'role_name', 'iam_user_access_to_billing'],
      },
    });
    // Idempotent: once the account is in state, Terraform skips the import (and makes no API call for it).
    if (props.importId) this.account.importFrom(props.importId);
  }
}
