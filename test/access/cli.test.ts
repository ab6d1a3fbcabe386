/** `rolecall access` and `rolecall explain`, run in process through main(). */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';
import { ACCESS_REPORT_SCHEMA_VERSION, type AccessReport } from '../../src/report/access-json';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'config', 'org.yaml');
const LEVELS = path.join(ROOT, 'test', 'fixtures', 'access', 'levels.yaml');

describe('rolecall access', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-access-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('json: versioned, the same on every run, and parseable', async () => {
    const a = await runCli(['access', '--format', 'json', '--cells', '--config', LEVELS]);
    const b = await runCli(['access', '--format', 'json', '--cells', '--config', LEVELS]);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const report = JSON.parse(a.out) as AccessReport;
    expect(report.schemaVersion).toBe(ACCESS_REPORT_SCHEMA_VERSION);
    expect(report.levels).toEqual(['none', 'list', 'read', 'write', 'permissions', 'admin']);
    expect(report.cells!.find((c) => c.person === 'tess' && c.account === 'workload')).toMatchObject({
      level: 'write',
      evidence: { action: 'ec2:CreateTags', level: 'write', path: 'function taggers' },
      functions: ['listers', 'taggers'],
    });
    // No path, no cell: nora appears as a person but has no cells.
    expect(report.people.map((p) => p.name)).toContain('nora');
    expect(report.cells!.filter((c) => c.person === 'nora')).toEqual([]);
    // The function x account view: what each function holds on its own.
    expect(report.functions.map((f) => f.name)).toEqual(['listers', 'mixed', 'power-users', 'readers', 'taggers']);
    expect(report.functionCells!.find((c) => c.function === 'taggers' && c.account === 'workload')).toMatchObject({
      level: 'write',
      functions: ['taggers'],
    });
  });

  test('md is the default format and has one row per person', async () => {
    const { code, out } = await runCli(['access', '--config', LEVELS]);
    expect(code).toBe(0);
    expect(out).toContain('| person | master | workload |');
    expect(out).toContain('| tess (Tess Tagger) | **list**: listers | **write**: listers, taggers |');
    expect(out).toContain('| nora (Nora Nobody) | none | none |');
  });

  test('html --out: a self-contained page, no scripts, every level in the legend', async () => {
    const file = path.join(dir, 'access.html');
    const { code, out, err } = await runCli(['access', '--format', 'html', '--out', file, '--config', EXAMPLE]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toContain(`to ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
    for (const level of ['none', 'list', 'read', 'write', 'permissions', 'admin'])
      expect(html).toContain(`<td class="lvl-${level}"><span class="level">${level}</span></td>`);
    expect(html).toContain('<th class="person" scope="row">dave<small>Dave Developer</small></th>');
    expect(html).toContain('<h2>Functions &times; accounts</h2>');
    expect(html).toContain('<th class="person" scope="row">operations<small>alice, frank</small></th>');
    expect(html).toContain('pipeline terraform-cloud (member of changer function operations)');
    // Balanced table markup: every opened cell and row is closed.
    for (const tag of ['table', 'tr', 'td', 'th']) {
      expect((html.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length).toBe((html.match(new RegExp(`</${tag}>`, 'g')) ?? []).length);
    }
  });

  test('a bad format is refused', async () => {
    const { code, err } = await runCli(['access', '--format', 'pdf', '--config', LEVELS]);
    expect(code).toBe(2);
    expect(err).toContain('--format must be one of md, json, html, got "pdf"');
  });

  test('a file that breaches a guardrail gets no report', async () => {
    const { code, out, err } = await runCli([
      'access',
      '--format',
      'json',
      '--config',
      path.join(ROOT, 'test', 'fixtures', 'access', 'breach-direct.yaml'),
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('breached: dan has write on account production');
  });
});

describe('rolecall explain', () => {
  test('PERSON alone: every account reached, one line each, from the compact report (issue 12: per person on demand)', async () => {
    const { code, out } = await runCli(['explain', 'alice', '--config', EXAMPLE]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('alice: reaches 5 of 5 accounts');
    expect(lines).toContain('  functions: operations');
    // Issue 16: what the pipeline's master credentials reach besides is no more than alice holds directly: no chain.
    expect(out).toMatch(/\n {2}production +admin +operations, pipeline terraform-cloud \(iam:AddClientIDToOpenIDConnectProvider\)\n/);
    expect(out).toContain('one account in full: npx --no-install rolecall explain alice ACCOUNT');
  });

  test('every path: group, role, permission sets with levels and evidence', async () => {
    const { code, out } = await runCli(['explain', 'rita', 'workload', '--config', LEVELS]);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'rita -> workload (222222222222): read',
        '',
        '  path 1: function mixed: read',
        '    group: mixed in master (111111111111)',
        '    role:  arn:aws:iam::222222222222:role/mixed',
        '    permission sets:',
        '      lister          list         s3:ListAllMyBuckets',
        '      read-with-deny  read         s3:GetObject',
        '',
        '  path 2: function readers: read',
        '    group: readers in master (111111111111)',
        '    role:  arn:aws:iam::222222222222:role/readers',
        '    permission sets:',
        '      read-with-deny  read         s3:GetObject',
        '',
        '  level: read, set by s3:GetObject through function mixed',
        '',
      ].join('\n'),
    );
  });

  test('pipelines are paths too', async () => {
    const { code, out } = await runCli(['explain', 'alice', 'production', '--config', EXAMPLE]);
    expect(code).toBe(0);
    expect(out).toContain('pipeline terraform-cloud: admin');
    expect(out).toContain(
      'as a member of changer function operations: changers hold what the pipeline applies production with (arn:aws:iam::222222222222:role/OrganizationAccountAccessRole), e.g. iam:PutRolePolicy',
    );
    // The pipeline applies the master stack too; what that reaches besides adds nothing here (issue 16: the engine's
    // chain only where it reaches more, no join or management paths).
    expect(out).not.toContain('transitive');
    expect(out).toContain('level: admin, set by iam:AddClientIDToOpenIDConnectProvider through function operations');
  });

  test('a function name explains what the function holds on its own', async () => {
    const { code, out } = await runCli(['explain', 'operations', 'master', '--config', EXAMPLE]);
    expect(code).toBe(0);
    expect(out).toContain('function operations -> master (111111111111): admin');
    expect(out).toContain('path 1: pipeline terraform-cloud: admin');
    expect(out).toContain(
      "as changer function operations: changers hold what the pipeline applies master with (the runner's own credentials), e.g. iam:PutRolePolicy",
    );
  });

  test('no path says so', async () => {
    const { code, out } = await runCli(['explain', 'nora', 'workload', '--config', LEVELS]);
    expect(code).toBe(0);
    expect(out).toContain('nora -> workload (222222222222): none');
    expect(out).toContain(
      'no path: nora holds no function granted on workload, changes no pipeline applying to it, and reaches it through no other account.',
    );
  });

  test('unknown names get a suggestion; wrong arity gets usage', async () => {
    const bad = await runCli(['explain', 'rta', 'workloads', '--config', LEVELS]);
    // A name that is not in the file is a bad argument (exit 2), not a bad file.
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown person "rta" (people: nora, pat, rita, tess); did you mean "rita"?');
    expect(bad.err).toContain('unknown account "workloads" (accounts: master, workload); did you mean "workload"?');
    const usage = await runCli(['explain', 'rita', 'workload', 'extra', '--config', LEVELS]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('usage: npx --no-install rolecall explain PERSON|FUNCTION [ACCOUNT]');
  });
});
