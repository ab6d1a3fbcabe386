import { escapeTerraformTemplate, policyJson } from '../../src/constructs/policy-json';
import { trustPolicy } from '../fixtures/plan';

describe('policyJson', () => {
  it('escapes Terraform template sequences so IAM variables stay literal', () => {
    expect(escapeTerraformTemplate('${aws:username} %{if} $x %y')).toBe('$${aws:username} %%{if} $x %y');
    expect(policyJson(trustPolicy(3600))).toContain('"sts:RoleSessionName":"$${aws:username}"');
  });

  it('keeps the key order the plan gave and adds no white space', () => {
    const doc = trustPolicy(900);
    expect(policyJson(doc)).toBe(JSON.stringify(doc).split('${').join('$${'));
    expect(policyJson(doc).startsWith('{"Version":"2012-10-17","Statement":[{"Sid"')).toBe(true);
  });
});
