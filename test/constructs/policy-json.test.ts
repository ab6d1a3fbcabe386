import { policyJson } from '../../src/constructs/policy-json';
import { terraformLiteral, terraformSafe } from '../../src/constructs/terraform-literal';
import { trustPolicy } from '../fixtures/plan';

describe('policyJson', () => {
  it('only stringifies: the stacks escaped the document already (no double escaping)', () => {
    const doc = trustPolicy(3600);
    expect(policyJson(doc)).toBe(JSON.stringify(doc));
    expect(policyJson(terraformSafe(doc))).toContain('"sts:RoleSessionName":"$${aws:username}"');
    expect(policyJson(terraformSafe(doc))).not.toContain('$$${');
  });

  it('keeps the key order the plan gave and adds no white space', () => {
    const doc = trustPolicy(900);
    expect(policyJson(terraformSafe(doc))).toBe(terraformLiteral(JSON.stringify(doc)));
    expect(policyJson(doc).startsWith('{"Version":"2012-10-17","Statement":[{"Sid"')).toBe(true);
  });
});
