/**
 * Issue 17: the perimeter's new statements stay within AWS Organizations'
 * quotas (5,120 characters per SCP or RCP, 5 per target) together with the
 * customer's custom SCPs, and when a file would break them, the located
 * error names the statement to move.
 */
import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { ORGANIZATIONS_QUOTAS } from '../../src/limits';
import { policySize } from '../../src/plan/policies';
import { policyType } from '../../src/plan/organization';
import { MANAGED_TEXT, diagnosticsOf, variant } from '../fixtures/organization';

const CONFIG = path.join(__dirname, '..', '..', 'config');

describe('the examples fit, with the new statements and their custom SCPs', () => {
  test.each(['org-large-company.yaml', 'org-managed.yaml'])(
    '%s: every SCP and RCP within 5,120 characters, at most 5 per account',
    (file) => {
      const result = compileOrgFile(path.join(CONFIG, file));
      expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
      const policies = result.plan!.organizationStack!.policies;
      for (const p of policies) expect([p.name, policySize(p.document) <= ORGANIZATIONS_QUOTAS.scpChars]).toEqual([p.name, true]);
      const perTarget = new Map<string, number>();
      for (const p of policies)
        for (const t of p.targets) perTarget.set(`${policyType(p)} ${t}`, (perTarget.get(`${policyType(p)} ${t}`) ?? 1) + 1);
      for (const [target, count] of perTarget) expect([target, count <= ORGANIZATIONS_QUOTAS.scpsPerTarget]).toEqual([target, true]);
    },
  );
});

const errors = (text: string, code: string) =>
  diagnosticsOf(text)
    .filter((d) => d.severity === 'error' && d.code === code)
    .map(formatDiagnostic);

describe('over a quota: the located error names the statement to move', () => {
  test('a custom SCP over 5,120 characters: move its largest statement into a second scps entry', () => {
    const text = variant((org) => {
      org.scps = {
        big: {
          accounts: '*',
          statements: [
            { sid: 'Small', effect: 'Deny', actions: ['ec2:RunInstances'] },
            {
              sid: 'DenyManyBuckets',
              effect: 'Deny',
              actions: ['s3:*'],
              resources: Array.from({ length: 250 }, (_, i) => `arn:aws:s3:::acme-bucket-${i}`),
            },
          ],
        },
      };
    });
    const [error, ...rest] = errors(text, 'RC320');
    expect(rest).toEqual([]);
    expect(error).toMatch(
      /error RC320: scps\.big: service control policy "rolecall-custom-big": \d+ characters, over the AWS Organizations quota of 5120; its largest statement is DenyManyBuckets/,
    );
    expect(error).toMatch(/fix: move statement DenyManyBuckets into a second entry of scps with the same accounts/);
  });

  test('more than 5 SCPs on an account: move the statements of one custom SCP into another', () => {
    const text = variant((org) => {
      org.scps = Object.fromEntries(
        ['a', 'b', 'c'].map((name) => [
          name,
          { accounts: ['storage'], statements: [{ effect: 'Deny', actions: [`ec2:${name.toUpperCase()}*`] }] },
        ]),
      );
    });
    const [error, ...rest] = errors(text, 'RC322');
    expect(rest).toEqual([]);
    expect(error).toMatch(/accounts\.storage: account "storage" would carry 6 service control policies/);
    expect(error).toMatch(/fix: move the statements of scps\.c into scps\.b \(both attach to storage\)/);
  });

  test('an RCP grown by named CI roles in member accounts: name fewer of them', () => {
    const text = variant((org) => {
      org.functions.ci = {
        description: 'CI roles',
        principals: Array.from({ length: 120 }, (_, i) => `arn:aws:iam::444444444444:role/ci/pipeline-number-${i}`),
        access: [{ accounts: ['sandbox'], permissions: 'admin' }],
      };
    }, MANAGED_TEXT);
    const [error, ...rest] = errors(text, 'RC323');
    expect(rest).toEqual([]);
    expect(error).toMatch(/its largest statement is DenyWebIdentityFromOtherIssuers/);
    expect(error).toMatch(/fix: name fewer CI roles of member accounts in functions\.\*\.principals/);
  });
});

test('the state bucket in an account whose services leave out s3 is a located error (its SCP would deny the state)', () => {
  const text = variant((org) => {
    org.deploy.backend = 's3';
    org.deploy.s3.account = 'production';
    org.accounts.production.services = ['ec2'];
  });
  expect(errors(text, 'RC343')).toEqual([
    expect.stringMatching(/error RC343: deploy\.s3\.account: the state bucket's account "production" is limited to services without s3/),
  ]);
  const withS3 = variant((org) => {
    org.deploy.backend = 's3';
    org.deploy.s3.account = 'production';
    org.accounts.production.services = ['ec2', 's3'];
  });
  expect(errors(withS3, 'RC343')).toEqual([]);
});
