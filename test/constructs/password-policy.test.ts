import { Testing } from 'cdktf';
import { PasswordPolicy } from '../../src/constructs/password-policy';
import { masterStack } from '../fixtures/plan';
import { synth } from './synth';

describe('PasswordPolicy', () => {
  it('renders the plan as aws_iam_account_password_policy', () => {
    const s = synth((scope) => new PasswordPolicy(scope, 'password-policy', { policy: masterStack().passwordPolicy! }));
    expect(Object.keys(s.resource.aws_iam_account_password_policy)).toEqual(['password-policy']);
    expect(
      Testing.toHaveResourceWithProperties(s.json, 'aws_iam_account_password_policy', {
        minimum_password_length: 14,
        require_symbols: true,
        password_reuse_prevention: 24,
        max_password_age: 90,
        hard_expiry: false,
      }),
    ).toBe(true);
  });
});
