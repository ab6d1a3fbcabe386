/**
 * Issue 12: the compact access report (schema 3) records each function x
 * account role once and each holder's transitive paths grouped by cause;
 * every person x account cell is derived from it. These tests prove the
 * derivation gives exactly the plan's cells, path for path, for every
 * fixture, and that the report grows with functions x accounts + people x
 * functions, not people x accounts.
 */
import * as path from 'path';
import { loadOrgFile } from '../../src/model/load';
import { buildAccessMatrix, type AccessPath, type CellAccess } from '../../src/plan/access';
import { buildAccessReport, renderAccessJson, ReportIndex, type ReportPath } from '../../src/report/access-json';
import { generateOrgYaml } from '../../bench/gen';
import { compileOrgText } from '../../src/plan/compile';

const ROOT = path.join(__dirname, '..', '..');
const FILES = [
  path.join(ROOT, 'config', 'org.yaml'),
  // Issue 11's real orgs: shared roles, identity permissions (group policy paths), machine principals, identity account apart.
  path.join(ROOT, 'config', 'org-large-company.yaml'),
  ...['levels', 'transitive', 'holds', 'breach-pipeline'].map((f) => path.join(ROOT, 'test', 'fixtures', 'access', `${f}.yaml`)),
];

/** The plan's path in the report's shape (what schema 2 wrote per cell). */
function planPath(p: AccessPath): ReportPath {
  const evidence = p.action === undefined ? null : { action: p.action, level: p.level };
  switch (p.kind) {
    case 'pipeline':
      return {
        kind: 'pipeline',
        pipeline: p.pipeline,
        changer: p.changer,
        credentials: { kind: p.credentials.kind, role: p.credentials.role ?? null, roleArn: p.credentials.roleArn ?? null },
        level: p.level,
        evidence,
      };
    case 'function':
      return {
        kind: 'function',
        function: p.function,
        group: p.group,
        role: p.role,
        roleArn: p.roleArn ?? null,
        level: p.level,
        evidence,
        permissionSets: p.permissionSets.map((s) => ({
          name: s.name,
          level: s.level,
          evidence: s.action === undefined ? null : { action: s.action, level: s.level },
        })),
        ...(p.roleFunctions ? { roleFunctions: p.roleFunctions } : {}),
        ...(p.until !== undefined ? { until: p.until } : {}),
        ...(p.groupPolicy ? { groupPolicy: true as const } : {}),
      };
    case 'chain':
      return {
        kind: 'chain',
        chain: p.chain,
        role: p.role ?? null,
        roleArn: p.roleArn ?? null,
        level: p.level,
        evidence,
        ...(p.undecided ? { undecided: true as const } : {}),
        ...(p.until !== undefined ? { until: p.until } : {}),
      };
  }
}

function planCell(c: CellAccess) {
  return {
    account: c.account,
    level: c.level,
    evidence: c.evidence ?? null,
    functions: c.functions,
    roles: c.roles,
    permissionSets: c.permissionSets,
    pipelines: c.pipelines,
    paths: c.paths.map(planPath),
  };
}

describe.each(FILES)('compact report of %s', (file) => {
  const model = loadOrgFile(file).model!;
  const matrix = buildAccessMatrix(model);
  const report = buildAccessReport(matrix);
  const index = new ReportIndex(report);

  test('every person x account cell derives exactly the plan cell', () => {
    let compared = 0;
    for (const person of report.people) {
      for (const account of report.accounts) {
        expect(index.cell(person, account.name)).toEqual(planCell(matrix.cell(person.name, account.name)));
        compared++;
      }
    }
    expect(compared).toBe(report.people.length * report.accounts.length);
  });

  test('every function x account cell derives exactly the plan function cell', () => {
    for (const fn of report.functions) {
      for (const account of report.accounts) {
        expect(index.cell(index.functionHolder(fn), account.name)).toEqual(planCell(matrix.functionCell(fn.name, account.name)));
      }
    }
  });

  test('cells only on request (--cells), and then the derived ones', () => {
    expect(report.cells).toBeUndefined();
    const full = buildAccessReport(matrix, { cells: true });
    const expected = report.people.flatMap((p) =>
      report.accounts
        .map((a) => matrix.cell(p.name, a.name))
        .filter((c) => c.paths.length > 0)
        .map((c) => ({ person: p.name, ...planCell(c) })),
    );
    expect(full.cells).toEqual(expected);
  });
});

test('issue 11 in the compact form: principals, shared roles and group policies are carried', () => {
  const matrix = buildAccessMatrix(loadOrgFile(path.join(ROOT, 'config', 'org-large-company.yaml')).model!);
  const report = buildAccessReport(matrix);
  expect(report.principals.length).toBeGreaterThan(0);
  expect(report.principals.map((p) => `${p.principal} ${p.function} ${p.account} ${p.level}`)).toEqual(
    matrix.principals.map((p) => `${p.principal} ${p.function} ${p.account} ${p.level}`),
  );
  expect(report.roles.some((r) => r.roleFunctions && r.roleFunctions.length > 1)).toBe(true);
  const identity = report.accounts.find((a) => a.identity)!.name;
  expect(report.roles.some((r) => r.groupPolicy && r.account === identity && r.role === '')).toBe(true);
});

test('transitive paths are recorded once per cause, not once per account', () => {
  const report = buildAccessReport(buildAccessMatrix(loadOrgFile(path.join(ROOT, 'test', 'fixtures', 'access', 'transitive.yaml')).model!));
  const groups = report.people.flatMap((p) => p.transitive.map((t) => `${p.name} ${t.kind}`));
  // One entry per chain before its last hop (a cause), never one per account: fewer entries than targets.
  for (const p of report.people) {
    const vias = p.transitive.map((t) => JSON.stringify(t.via));
    expect(new Set(vias).size).toBe(vias.length);
  }
  expect(groups.length).toBeGreaterThan(0);
  expect(report.people.some((p) => p.transitive.some((t) => t.targets.length > 1))).toBe(true);
});

test('size grows with people, not people x accounts: 300 accounts x 2,000 people stays under 20 MB', () => {
  const compiled = compileOrgText(generateOrgYaml({ accounts: 300, functions: 20, people: 2000, seed: 20240601 }), 'bench.yaml');
  const json = renderAccessJson(buildAccessReport(buildAccessMatrix(compiled.model!)));
  // Schema 2 wrote 402 MB here.
  expect(json.length).toBeLessThan(20 * 1024 * 1024);
}, 120000);
