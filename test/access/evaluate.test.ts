/** rolecall's own policy evaluator (src/access/evaluate.ts): exact where it can decide, high where it cannot. */
import { evaluate, evaluateLayers, patternMatches, substitute, type Caller } from '../../src/access/evaluate';
import type { PolicyDocument, PolicyStatement } from '../../src/access/estate';

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const alice: Caller = { arn: 'arn:aws:iam::111111111111:user/alice', account: '111111111111', username: 'alice', mfa: true };
const machine: Caller = { arn: 'arn:aws:iam::666666666666:role/ci', account: '666666666666', mfa: false };
const req = (action: string, resource: string, caller: Caller = alice) => ({ caller, action, resource });

describe('patterns', () => {
  test('* and ? wildcards, whole string', () => {
    expect(patternMatches('arn:aws:iam::*:role/op?rations', 'arn:aws:iam::222222222222:role/operations')).toBe(true);
    expect(patternMatches('arn:aws:iam::*:role/op?rations', 'arn:aws:iam::222222222222:role/operations-x')).toBe(false);
    expect(patternMatches('s3:get*', 's3:GetObject', true)).toBe(true);
    expect(patternMatches('s3:get*', 's3:GetObject')).toBe(false);
  });
  test('policy variables: known ones substituted, unknown ones become * and undecided', () => {
    expect(substitute('arn:aws:iam::1:user/${aws:username}', alice)).toEqual({ pattern: 'arn:aws:iam::1:user/alice', undecided: false });
    expect(substitute('arn:aws:iam::1:user/${aws:username}', machine)).toEqual({ pattern: 'arn:aws:iam::1:user/*', undecided: true });
  });
});

describe('identity documents', () => {
  test('Action / NotAction, Resource / NotResource', () => {
    const d = doc({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret/*' });
    expect(evaluate([d], req('s3:GetObject', 'arn:aws:s3:::public/x')).allowed).toBe(true);
    expect(evaluate([d], req('s3:GetObject', 'arn:aws:s3:::secret/x')).allowed).toBe(false);
    expect(evaluate([d], req('iam:CreateUser', '*')).allowed).toBe(false);
  });

  test('an explicit Deny wins over any Allow', () => {
    const d = [doc({ Effect: 'Allow', Action: '*', Resource: '*' }), doc({ Effect: 'Deny', Action: 's3:Delete*', Resource: '*' })];
    expect(evaluate(d, req('s3:DeleteObject', 'arn:aws:s3:::b/k')).allowed).toBe(false);
    expect(evaluate(d, req('s3:GetObject', 'arn:aws:s3:::b/k'))).toEqual({ allowed: true, undecided: false });
  });

  test('self-scoped resources resolve to the caller', () => {
    const d = doc({ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: 'arn:aws:iam::111111111111:user/${aws:username}' });
    expect(evaluate([d], req('iam:AttachUserPolicy', 'arn:aws:iam::111111111111:user/alice')).allowed).toBe(true);
    expect(evaluate([d], req('iam:AttachUserPolicy', 'arn:aws:iam::111111111111:user/bob')).allowed).toBe(false);
  });

  test('MFA: people carry it, machines do not', () => {
    const d = doc({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
    });
    expect(evaluate([d], req('sts:AssumeRole', 'arn:aws:iam::2:role/x'))).toEqual({ allowed: true, undecided: false });
    expect(evaluate([d], req('sts:AssumeRole', 'arn:aws:iam::2:role/x', machine)).allowed).toBe(false);
  });

  test('a Deny on missing MFA (BoolIfExists false) does not apply to a person with MFA', () => {
    const d = [
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
      doc({
        Effect: 'Deny',
        NotAction: 'iam:ChangePassword',
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      }),
    ];
    expect(evaluate(d, req('s3:GetObject', '*')).allowed).toBe(true);
    expect(evaluate(d, req('s3:GetObject', '*', machine)).allowed).toBe(false);
  });

  test('an expiring grant is held, with its date', () => {
    const d = doc({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2026-12-10T18:00:00Z' } },
    });
    expect(evaluate([d], req('s3:GetObject', '*'))).toEqual({ allowed: true, undecided: false, until: '2026-12-10T18:00:00Z' });
  });

  test('an undecidable condition: allowing in an Allow, not applying in a Deny, and said so', () => {
    const cond = { StringEquals: { 'aws:SourceVpc': 'vpc-1' } };
    expect(evaluate([doc({ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: cond })], req('s3:GetObject', '*'))).toEqual({
      allowed: true,
      undecided: true,
    });
    const denied = evaluate(
      [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), doc({ Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: cond })],
      req('s3:GetObject', '*'),
    );
    expect(denied).toEqual({ allowed: true, undecided: true });
  });

  test('principal keys the estate knows are decided', () => {
    const d = doc({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/a*' } },
    });
    expect(evaluate([d], req('s3:GetObject', '*'))).toEqual({ allowed: true, undecided: false });
    expect(evaluate([d], req('s3:GetObject', '*', machine)).allowed).toBe(false);
    const account = doc({
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } },
    });
    expect(evaluate([account], req('s3:GetObject', '*')).allowed).toBe(false);
    expect(evaluate([account], req('s3:GetObject', '*', machine)).allowed).toBe(true);
  });
});

describe('trust policies', () => {
  const trust = doc({
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111111111111:root' },
    Action: 'sts:AssumeRole',
    Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'sts:RoleSessionName': '${aws:username}' } },
  });
  test("an account root admits that account's principals, the session name is the caller's to pick", () => {
    expect(evaluate([trust], req('sts:AssumeRole', 'arn:aws:iam::2:role/x')).allowed).toBe(true);
    expect(evaluate([trust], req('sts:AssumeRole', 'arn:aws:iam::2:role/x', machine)).allowed).toBe(false);
  });
  test('a named principal admits exactly it', () => {
    const named = doc({ Effect: 'Allow', Principal: { AWS: machine.arn! }, Action: 'sts:AssumeRole' });
    expect(evaluate([named], req('sts:AssumeRole', 'arn:aws:iam::2:role/x', machine)).allowed).toBe(true);
    expect(evaluate([named], req('sts:AssumeRole', 'arn:aws:iam::2:role/x')).allowed).toBe(false);
  });
});

describe('SCP and RCP layers', () => {
  const full = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
  test('every layer must allow; a Deny in any layer wins', () => {
    const deny = doc({ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' });
    expect(evaluateLayers([[full, deny]], req('iam:CreateUser', '*')).allowed).toBe(false);
    expect(evaluateLayers([[full], [doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })]], req('ec2:RunInstances', '*')).allowed).toBe(
      false,
    );
    expect(evaluateLayers(undefined, req('ec2:RunInstances', '*')).allowed).toBe(true);
  });
  test("an RCP perimeter on PrincipalOrgID: decided for the organization's principals, high for the others", () => {
    const rcp = doc({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sts:AssumeRole',
      Resource: '*',
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } },
    });
    expect(evaluateLayers([[full, rcp]], req('sts:AssumeRole', 'x', { ...alice, orgId: 'o-1' })).allowed).toBe(true);
    expect(evaluateLayers([[full, rcp]], req('sts:AssumeRole', 'x', { ...alice, orgId: 'o-2' })).allowed).toBe(false);
    expect(evaluateLayers([[full, rcp]], req('sts:AssumeRole', 'x', machine))).toEqual({ allowed: true, undecided: true });
  });
});
