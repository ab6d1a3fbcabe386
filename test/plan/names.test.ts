/**
 * Every ARN rolecall writes is built in src/plan/names.ts (issue 16), with
 * the partition last: the shapes AWS documents, and one argument to change
 * the partition.
 */
import {
  accountRootArn,
  ANY_ACCOUNT,
  awsManagedPolicyArn,
  customerPolicyArn,
  groupArn,
  iamUserArn,
  identityStoreArn,
  managedUsersArnPattern,
  mfaDeviceArn,
  oidcProviderArn,
  PARTITION,
  roleArn,
  s3BucketArn,
  samlProviderArn,
  userArn,
} from '../../src/plan/names';
import { MANAGED_POLICY_ARN_PREFIX } from '../../src/iam/managed-policies';

describe('ARNs', () => {
  test('the shapes rolecall has always written (partition aws)', () => {
    expect(PARTITION).toBe('aws');
    expect(roleArn('111111111111', '/x/', 'dev')).toBe('arn:aws:iam::111111111111:role/x/dev');
    expect(roleArn(ANY_ACCOUNT, '/', 'OrganizationAccountAccessRole')).toBe('arn:aws:iam::*:role/OrganizationAccountAccessRole');
    expect(accountRootArn('111111111111')).toBe('arn:aws:iam::111111111111:root');
    expect(userArn('111111111111', 'alice')).toBe('arn:aws:iam::111111111111:user/rolecall/alice');
    expect(managedUsersArnPattern('111111111111')).toBe('arn:aws:iam::111111111111:user/rolecall/*');
    expect(iamUserArn('111111111111', '/', 'bob')).toBe('arn:aws:iam::111111111111:user/bob');
    expect(groupArn('111111111111', '/', 'developers')).toBe('arn:aws:iam::111111111111:group/developers');
    expect(customerPolicyArn('111111111111', '/', 'p')).toBe('arn:aws:iam::111111111111:policy/p');
    expect(mfaDeviceArn('111111111111', '*')).toBe('arn:aws:iam::111111111111:mfa/*');
    expect(oidcProviderArn(ANY_ACCOUNT)).toBe('arn:aws:iam::*:oidc-provider/app.terraform.io');
    expect(samlProviderArn('111111111111', 'AWSSSO_*_DO_NOT_DELETE')).toBe(
      'arn:aws:iam::111111111111:saml-provider/AWSSSO_*_DO_NOT_DELETE',
    );
    expect(awsManagedPolicyArn('AdministratorAccess')).toBe(`${MANAGED_POLICY_ARN_PREFIX}AdministratorAccess`);
    expect(identityStoreArn('group', 'd-0123456789', 'developers')).toBe('arn:aws:identitystore:::group/d-0123456789/developers');
    expect([s3BucketArn('state'), s3BucketArn('state', true)]).toEqual(['arn:aws:s3:::state', 'arn:aws:s3:::state/*']);
  });

  test('the partition is one argument away', () => {
    expect(roleArn('111111111111', '/', 'dev', 'aws-cn')).toBe('arn:aws-cn:iam::111111111111:role/dev');
    expect(userArn('111111111111', 'alice', 'aws-us-gov')).toBe('arn:aws-us-gov:iam::111111111111:user/rolecall/alice');
    expect(s3BucketArn('state', true, 'aws-cn')).toBe('arn:aws-cn:s3:::state/*');
    expect(identityStoreArn('user', 'd-1', 'a', 'aws-cn')).toBe('arn:aws-cn:identitystore:::user/d-1/a');
  });
});
