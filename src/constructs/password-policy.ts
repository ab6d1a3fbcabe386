import { Construct } from 'constructs';
import { IamAccountPasswordPolicy } from '@cdktf/provider-aws/lib/iam-account-password-policy';
import type { PasswordPolicyPlan } from '../plan/types';

export interface PasswordPolicyProps {
  readonly policy: PasswordPolicyPlan;
}

/** The account password policy (one per account): `aws_iam_account_password_policy.<id>`. */
export class PasswordPolicy extends Construct {
  readonly resource: IamAccountPasswordPolicy;

  constructor(scope: Construct, id: string, props: PasswordPolicyProps) {
    super(scope, id);
    const p = props.policy;
    this.resource = new IamAccountPasswordPolicy(this, 'Default', {
      minimumPasswordLength: p.minimumPasswordLength,
      requireLowercaseCharacters: p.requireLowercaseCharacters,
      requireUppercaseCharacters: p.requireUppercaseCharacters,
      requireNumbers: p.requireNumbers,
      requireSymbols: p.requireSymbols,
      allowUsersToChangePassword: p.allowUsersToChangePassword,
      passwordReusePrevention: p.passwordReusePrevention,
      maxPasswordAge: p.maxPasswordAge,
      hardExpiry: p.hardExpiry,
    });
  }
}
