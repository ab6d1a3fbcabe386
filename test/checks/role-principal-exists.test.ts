/**
 * RC237 (src/checks/rules/rc237-role-principal-exists.ts): every role the
 * file names as a trust principal is announced where it is named, with the
 * trusts that name it; a notice, so validate still passes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatDiagnostic, formatKeyPath } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { TWO_ACCOUNTS } from '../fixtures/people/two-accounts';

const ROOT = path.join(__dirname, '..', '..');
const CI_ROLE = 'arn:aws:iam::333333333333:role/github-actions/deploy';
const PARTNER_ROLE = 'arn:aws:iam::444444444444:role/partner';

const org = (principals: string[], extra = '') => `${TWO_ACCOUNTS}functions:
  ci:
    principals: [${principals.map((p) => JSON.stringify(p)).join(', ')}]
    access:
      - accounts: [production]
        permissions: admin
        role: terraform
${extra}`;

const rc237 = (text: string) => {
  const result = compileOrgText(text, 'org.yaml');
  return { ok: result.ok, found: result.diagnostics.filter((d) => d.code === 'RC237') };
};

describe('RC237: a role named as a trust principal', () => {
  test('is a located notice naming the trust, what AWS refuses and the drift, with a fix; validate still passes', () => {
    const { ok, found } = rc237(org([CI_ROLE]));
    expect(ok).toBe(true);
    expect(found.map((d) => [d.severity, d.line, d.col, d.path])).toEqual([['notice', 11, 18, ['functions', 'ci', 'principals', 0]]]);
    expect(formatDiagnostic(found[0])).toBe(
      `org.yaml:11:18: notice RC237: functions.ci.principals[0]: role ${CI_ROLE} is trusted by name by 1 role (terraform in account-production): ` +
        'it must exist before it is applied (else IAM refuses the trust: MalformedPolicyDocument); deleted and recreated, it is no longer ' +
        "trusted (the trust keeps the old role's unique id, AROA...) and every plan shows the trust changing\n" +
        '  fix: create the role before the first apply; after recreating it, apply that stack again (the apply writes the ARN back, trusting the new role)',
    );
  });

  test('one notice per role principal, none for an account root (it always exists)', () => {
    const { found } = rc237(org([CI_ROLE, 'arn:aws:iam::444444444444:root', PARTNER_ROLE]));
    expect(found.map((d) => d.path)).toEqual([
      ['functions', 'ci', 'principals', 0],
      ['functions', 'ci', 'principals', 2],
    ]);
    expect(found[1].message).toContain(`role ${PARTNER_ROLE} is trusted`);
  });

  test('names every trust: a role in several accounts, and each function naming the same principal at its own entry', () => {
    const text = `version: 1
organization: { name: acme, region: eu-west-1, master: master }
accounts:
  master: { id: "111111111111" }
  production: { id: "222222222222", environment: production }
  staging: { id: "555555555555" }
permissions:
  admin: { managed: [AdministratorAccess] }
functions:
  ci:
    principals: ["${CI_ROLE}"]
    access:
      - accounts: [production, staging]
        permissions: admin
        role: terraform
  deployer:
    principals: ["${CI_ROLE}"]
    access: { staging: admin }
`;
    const { ok, found } = rc237(text);
    expect(ok).toBe(true);
    expect(found.map((d) => [formatKeyPath(d.path), d.message.split(': it must')[0]])).toEqual([
      ['functions.ci.principals[0]', `role ${CI_ROLE} is trusted by name by 2 roles (terraform in account-production, account-staging)`],
      ['functions.deployer.principals[0]', `role ${CI_ROLE} is trusted by name by 1 role (deployer in account-staging)`],
    ]);
  });

  test('a function without principals, or granted only where no stack exists yet, gets none', () => {
    expect(rc237(org([CI_ROLE]).replace(/ {4}principals: .*\n/, '')).found).toEqual([]);
    // Granted only on an account without id: no stack, so no trust names the principal yet.
    const noStack = `version: 1
organization: { name: acme, region: eu-west-1, master: master }
accounts:
  master: { id: "111111111111" }
  later: { email: aws+later@acme.example }
permissions:
  admin: { managed: [AdministratorAccess] }
functions:
  ci:
    principals: ["${CI_ROLE}"]
    access: { later: admin }
`;
    const result = compileOrgText(noStack, 'org.yaml');
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(result.diagnostics.filter((d) => d.code === 'RC237')).toEqual([]);
  });

  test('on the example files: config/org-large-company.yaml, at both of its CI principals; no other example names a role', () => {
    const counts = Object.fromEntries(
      fs
        .readdirSync(path.join(ROOT, 'config'))
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => [f, rc237(fs.readFileSync(path.join(ROOT, 'config', f), 'utf8')).found.map((d) => formatKeyPath(d.path))]),
    );
    expect(counts).toEqual({
      'org-cloud.yaml': [],
      'org-identity-center.yaml': [],
      'org-large-company.yaml': ['functions.ci.principals[0]', 'functions.ci.principals[1]'],
      'org-managed.yaml': [],
      'org-s3.yaml': [],
      'org.yaml': [],
    });
  });
});
