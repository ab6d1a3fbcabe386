/**
 * Guardrails (SPEC sections 1, 2, 5): a breach fails validate and synth with
 * a located error naming person, path, account, evidence action and level.
 */
import { mkdtempSync, existsSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgFile, compileOrgText } from '../../src/plan/compile';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { runCli } from '../helpers/cli';
import { MAX_BREACHES_SHOWN } from '../../src/checks/rules/rc501-guardrail-max-access';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'access');
const fixture = (name: string) => path.join(FIXTURES, name);

function errorsOf(file: string): string[] {
  return compileOrgFile(file)
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
}

describe('guardrail fixtures', () => {
  test('holds.yaml: the guardrail holds, the plan is built', () => {
    const result = compileOrgFile(fixture('holds.yaml'));
    expect(errorsOf(fixture('holds.yaml'))).toEqual([]);
    expect(result.plan).toBeDefined();
  });

  test('breach-direct.yaml: the guarded function itself writes customer data', () => {
    const file = fixture('breach-direct.yaml');
    expect(errorsOf(file)).toEqual([
      `${file}:54:5: error RC501: guardrails[0]: guardrail "developers never change customer data" breached: dan has write on account production through function developers (permission set app-objects allows s3:PutObject, a write action); the guardrail allows at most read\n` +
        '  expected: at most read for everyone the guardrail selects and every function it names, through every function, pipeline and transitive path\n' +
        '  fix: grant function developers no more than read on production (now: app-objects), or take dan out of developers; every action above read: npx --no-install rolecall explain dan production',
    ]);
  });

  test('breach-other-function.yaml: breached through another function of the same person', () => {
    const file = fixture('breach-other-function.yaml');
    expect(errorsOf(file)).toEqual([
      `${file}:58:5: error RC501: guardrails[0]: guardrail "developers never change customer data" breached: dan has write on account production through function support (permission set tables allows dynamodb:PutItem, a write action); the guardrail allows at most read\n` +
        '  expected: at most read for everyone the guardrail selects and every function it names, through every function, pipeline and transitive path\n' +
        '  fix: grant function support no more than read on production (now: tables), or take dan out of support; every action above read: npx --no-install rolecall explain dan production',
    ]);
  });

  test('breach-pipeline.yaml: breached by the pipeline changers', () => {
    const file = fixture('breach-pipeline.yaml');
    expect(errorsOf(file)).toEqual([
      `${file}:50:5: error RC501: guardrails[0]: guardrail "developers never change customer data" breached: dan has admin on account production through pipeline deploy (as a member of changer function developers; changers hold what its apply credentials hold, e.g. iam:PutRolePolicy, an admin action); the guardrail allows at most read\n` +
        '  expected: at most read for everyone the guardrail selects and every function it names, through every function, pipeline and transitive path\n' +
        "  fix: remove developers from pipelines.deploy.changers, or leave production out of the pipeline's accounts",
    ]);
  });

  test('a breach blocks the plan: validate and synth exit 1 and synth writes nothing', async () => {
    const file = fixture('breach-pipeline.yaml');
    expect(compileOrgFile(file).plan).toBeUndefined();
    const validate = await runCli(['validate', '--config', file]);
    expect(validate.code).toBe(1);
    expect(validate.err).toContain('guardrail "developers never change customer data" breached: dan has admin on account production');
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-guardrail-'));
    try {
      const synth = await runCli(['synth', '--config', file, '--output', path.join(outdir, 'out')]);
      expect(synth.code).toBe(1);
      expect(synth.err).toContain('1 error: nothing written.');
      expect(existsSync(path.join(outdir, 'out'))).toBe(false);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

const SMALL = (guardrails: string, extraPeople = '') => `
version: 1
organization: { name: t, region: eu-west-1, master: master }
accounts:
  master: { id: "111111111111" }
  prod: { id: "222222222222", data: customer, environment: production }
  dev: { id: "333333333333", data: test }
permissions:
  admin: { managed: [AdministratorAccess] }
  lister: { statements: [{ actions: ["s3:ListAllMyBuckets"] }] }
functions:
  ops: { access: { prod: admin, dev: admin } }
  viewers: { access: { prod: lister, dev: lister } }
people:
  olga: { name: Olga, email: olga@example.com, functions: [ops] }
  vic: { name: Vic, email: vic@example.com, functions: [viewers] }
${extraPeople}
guardrails:
${guardrails}
`;

function errors(text: string): string[] {
  return compileOrgText(text, 'g.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => d.message);
}

describe('guardrail selection and bounds', () => {
  test('people named directly are selected', () => {
    expect(errors(SMALL('  - { name: olga reads, people: [olga], accounts: [prod], maxAccess: read }'))).toEqual([
      'guardrail "olga reads" breached: olga has admin on account prod through function ops (permission set admin allows iam:AddClientIDToOpenIDConnectProvider, an admin action); the guardrail allows at most read',
    ]);
  });

  test('maxAccess none forbids any path, even a list-level one', () => {
    expect(errors(SMALL('  - { name: no viewers in prod, functions: [viewers], accounts: [prod], maxAccess: none }'))).toEqual([
      'guardrail "no viewers in prod" breached: vic has list on account prod through function viewers (permission set lister allows s3:ListAllMyBuckets, a list action); the guardrail allows at most none',
    ]);
  });

  test('exactly at the bound holds; accounts outside the selector are not bounded', () => {
    expect(errors(SMALL('  - { name: viewers list, functions: [viewers], accounts: "*", maxAccess: list }'))).toEqual([]);
    expect(errors(SMALL('  - { name: ops off customer data, functions: [ops], accounts: { data: test }, maxAccess: admin }'))).toEqual([]);
  });

  test('the default accounts selector is every account but the master', () => {
    expect(errors(SMALL('  - { name: ops bounded, functions: [ops], maxAccess: write }'))).toHaveLength(2);
  });

  test(`more than ${MAX_BREACHES_SHOWN} breaches: the first ${MAX_BREACHES_SHOWN}, then one summary`, () => {
    const people = Array.from(
      { length: 30 },
      (_, i) => `  p${String(i).padStart(2, '0')}: { name: P, email: p${i}@example.com, functions: [ops] }`,
    ).join('\n');
    const found = errors(SMALL('  - { name: ops bounded, functions: [ops], maxAccess: read }', people));
    expect(found).toHaveLength(MAX_BREACHES_SHOWN + 1);
    expect(found).toContain('guardrail "ops bounded": 12 more breaches not shown (62 in all, by 31 people on 2 accounts)');
  });
});
