/**
 * Issue 20, finding 1: a function may hold several roles in one account
 * (it was error RC223): `operations` with `admin` through its own role and
 * `logs-read` through the shared `readonly` role in production. Each role
 * is assumable by the function's members (and the other function naming
 * it), by nobody else; existing roles keep their construct ids; aws-config
 * puts the least-privileged role first.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { synthesizeApp } from '../../src/stacks/app';
import { renderAwsConfig, roleProfiles } from '../../src/report/aws-config';
import { readSynthesizedIam, simulateAssumeRole, type SynthIam } from '../helpers/simulate';
import { TWO_ACCOUNTS } from '../fixtures/people/two-accounts';

const FRESH = { mfa: true, mfaAgeSeconds: 300 };

const ORG = (operationsAccess: string) => `${TWO_ACCOUNTS}functions:
  operations:
    access:
${operationsAccess}
  developers:
    access:
      - accounts: [production]
        permissions: logs-read
        role: readonly
  auditors:
    access:
      - accounts: [production]
        permissions: logs-read
people:
  olga: { name: Olga, email: olga@acme.example, functions: [operations], accessKey: true, console: true, pgpKey: keybase:olga }
  dev: { name: Dev, email: dev@acme.example, functions: [developers] }
  aud: { name: Aud, email: aud@acme.example, functions: [auditors] }
`;

const BEFORE = ORG(`      - accounts: [production]
        permissions: admin`);
const AFTER = ORG(`      - accounts: [production]
        permissions: admin
      - accounts: [production]
        permissions: logs-read
        role: readonly`);

function compile(text: string) {
  const result = compileOrgText(text, 'org.yaml');
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (errors.length > 0 || !result.ok) throw new Error(errors.join('\n'));
  return result;
}

describe('operations: admin through its own role and logs-read through the shared readonly role', () => {
  const result = compile(AFTER);

  test('validates (was RC223), and the model holds both roles, sorted by name', () => {
    expect(result.model.grants.operations.production.map((g) => [g.role, g.permissionSets])).toEqual([
      ['operations', ['admin']],
      ['readonly', ['logs-read']],
    ]);
  });

  test("the group's policy allows both roles; the readonly role names both functions", () => {
    const master = result.plan.stacks.find((s) => s.id === 'master')!;
    const group = master.groups.find((g) => g.key === 'operations')!;
    expect(group.policies.flatMap((p) => p.document.Statement.flatMap((s) => s.Resource))).toEqual([
      'arn:aws:iam::222222222222:role/operations',
      'arn:aws:iam::222222222222:role/readonly',
    ]);
    const production = result.plan.stacks.find((s) => s.id === 'account-production')!;
    expect(production.roles.map((r) => [r.key, r.functions])).toEqual([
      ['auditors', ['auditors']],
      ['operations', ['operations']],
      ['readonly', ['developers', 'operations']],
    ]);
  });

  test('construct ids stay derived from YAML keys: adding the second role moves no existing key', () => {
    const keys = (text: string) =>
      compile(text).plan.stacks.flatMap((s) => [
        ...s.roles.map((r) => `${s.id}/role/${r.key}`),
        ...s.groups.flatMap((g) => g.policies.map((p) => `${s.id}/group/${g.key}/${p.key}`)),
      ]);
    const before = keys(BEFORE);
    const after = keys(AFTER);
    expect(after.filter((k) => !before.includes(k))).toEqual([]);
    expect(before.filter((k) => !after.includes(k))).toEqual([]);
    // The readonly role existed already (developers'): same key, now also the operations group's.
    expect(after).toContain('account-production/role/readonly');
  });

  test('the access matrix shows each role as its own path', () => {
    const paths = result.matrix.cell('olga', 'production').paths.filter((p) => p.kind === 'function');
    expect(paths.map((p) => (p.kind === 'function' ? `${p.role} ${p.level}` : ''))).toEqual(['operations admin', 'readonly read']);
  });

  test('aws-config: one profile per role, the least-privileged first and as the account profile; a switch-role link for each', () => {
    const levelOf = (account: string, role: string) => result.matrix.roles('operations', account).find((r) => r.role === role)?.level;
    expect(roleProfiles(result.plan, 'olga', levelOf).map((p) => `${p.profile} ${p.level}`)).toEqual([
      'acme-production-readonly read',
      'acme-production-operations admin',
    ]);
    const text = renderAwsConfig(result.plan, 'olga', levelOf);
    expect(text).toContain(
      '# production: your everyday role is readonly (read), the least-privileged of yours there;\n' +
        '# step up only when needed: operations (admin): --profile acme-production-operations\n' +
        '[profile acme-production]\nrole_arn = arn:aws:iam::222222222222:role/readonly',
    );
    expect(text).toContain('[profile acme-production-operations]\nrole_arn = arn:aws:iam::222222222222:role/operations');
    expect(text).toMatch(
      /# {3}production\/readonly \(read, everyday\): https:\/\/signin\.aws\.amazon\.com\/switchrole\?roleName=readonly&/,
    );
    expect(text).toMatch(
      /# {3}production\/operations \(admin, step up\): https:\/\/signin\.aws\.amazon\.com\/switchrole\?roleName=operations&/,
    );
  });

  describe('the simulator, on the synthesized JSON', () => {
    let iam: SynthIam;
    beforeAll(() => {
      const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-several-roles-'));
      try {
        synthesizeApp(result.plan, outdir);
        iam = readSynthesizedIam(outdir);
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });
    const role = (name: string) => iam.roles.find((r) => r.arn === `arn:aws:iam::222222222222:role/${name}`)!;

    test.each([
      ['olga', 'operations', 'Allowed'],
      ['olga', 'readonly', 'Allowed'],
      ['dev', 'readonly', 'Allowed'],
      ['dev', 'operations', 'ImplicitlyDenied'],
      ['aud', 'operations', 'ImplicitlyDenied'],
      ['aud', 'readonly', 'ImplicitlyDenied'],
    ])('%s assumes %s: %s', async (person, name, decision) => {
      expect(await simulateAssumeRole(iam, person, role(name), FRESH)).toBe(decision);
    });
  });
});

test('two functions naming one role must still give it the same permission sets (RC225)', () => {
  const text = ORG(`      - accounts: [production]
        permissions: admin
        role: readonly`);
  const codes = compileOrgText(text, 'org.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.code);
  expect(codes).toEqual(['RC225', 'RC225']);
});
