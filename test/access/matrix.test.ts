/** The access matrix of the example organisation and of the levels fixture (plan layer, no synthesis). */
import { readFileSync } from 'fs';
import * as path from 'path';
import { loadOrgFile, loadOrgText } from '../../src/model/load';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { buildAccessMatrix, PIPELINE_EVIDENCE_ACTION, type AccessMatrix } from '../../src/plan/access';
import { accessLevelOf } from '../../src/iam/actions';

const ROOT = path.join(__dirname, '..', '..');

function matrixOf(file: string): AccessMatrix {
  const loaded = loadOrgFile(file);
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return buildAccessMatrix(loaded.model);
}

describe('matrix of the example organisation', () => {
  const matrix = matrixOf(path.join(ROOT, 'config', 'org.yaml'));

  test('every person and every account, sorted', () => {
    expect(matrix.people.map((p) => p.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
    expect(matrix.accounts.map((a) => a.name)).toEqual(['development', 'master', 'production', 'sandbox', 'storage']);
    expect(matrix.accounts.filter((a) => a.master).map((a) => a.name)).toEqual(['master']);
  });

  test('developers read logs in production: read, through their role, with a read action as evidence', () => {
    const cell = matrix.cell('dave', 'production');
    expect(cell.level).toBe('read');
    expect(cell.functions).toEqual(['developers']);
    expect(cell.roles).toEqual(['developers']);
    expect(cell.permissionSets).toEqual(['logs-read']);
    expect(cell.pipelines).toEqual([]);
    expect(accessLevelOf(cell.evidence!.action)).toBe('read');
    expect(cell.evidence!.path).toBe('function developers');
    const [p] = cell.paths;
    expect(p).toMatchObject({
      kind: 'function',
      function: 'developers',
      group: 'developers',
      roleArn: 'arn:aws:iam::222222222222:role/developers',
    });
  });

  test('developers administer the sandbox: admin (AdministratorAccess rewrites IAM)', () => {
    expect(matrix.cell('dave', 'sandbox').level).toBe('admin');
  });

  test('pipeline changers hold admin on every account the pipeline applies to, with the pipeline as a path', () => {
    // No `accounts` selector: the pipeline applies every stack, the master's included.
    expect(matrix.pipelineAccounts('terraform-cloud')).toEqual(['development', 'master', 'production', 'sandbox', 'storage']);
    const cell = matrix.cell('alice', 'storage');
    expect(cell.level).toBe('admin');
    expect(cell.pipelines).toEqual(['terraform-cloud']);
    // The pipeline is admin here itself: what the master's credentials reach besides (a chain) adds nothing (issue 16:
    // no join or management paths, the engine's chain only where it reaches more).
    expect(cell.paths.map((p) => p.kind)).toEqual(['function', 'pipeline']);
    expect(cell.paths[1]).toMatchObject({
      kind: 'pipeline',
      pipeline: 'terraform-cloud',
      changer: { kind: 'function', name: 'operations' },
      level: 'admin',
      action: PIPELINE_EVIDENCE_ACTION,
      credentials: {
        kind: 'deploy-role',
        role: 'OrganizationAccountAccessRole',
        roleArn: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole',
      },
    });
    // On the master alice holds no function, only the pipeline (applied with the runner's own credentials).
    expect(matrix.cell('alice', 'master').paths.map((p) => p.kind)).toEqual(['pipeline']);
    expect(matrix.cell('alice', 'master').paths[0]).toMatchObject({ credentials: { kind: 'ambient' } });
    expect(matrix.cell('alice', 'master').level).toBe('admin');
  });

  test('no path, no access: a person without a function there is none, without evidence', () => {
    const cell = matrix.cell('erin', 'storage');
    expect(cell).toMatchObject({ level: 'none', functions: [], paths: [] });
    expect(cell.evidence).toBeUndefined();
  });

  test('a cell is the highest of its paths', () => {
    for (const person of matrix.people) {
      for (const account of matrix.accounts) {
        const cell = matrix.cell(person.name, account.name);
        const levels = cell.paths.map((p) => p.level);
        const order = ['none', 'list', 'read', 'write', 'permissions', 'admin'];
        const max = levels.reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), 'none');
        expect(cell.level).toBe(max);
      }
    }
  });

  test('unknown people and accounts are refused, not reported as none', () => {
    expect(() => matrix.cell('mallory', 'production')).toThrow('unknown person mallory');
    expect(() => matrix.cell('alice', 'prod')).toThrow('unknown account prod');
  });
});

describe('matrix of the levels fixture', () => {
  const matrix = matrixOf(path.join(ROOT, 'test', 'fixtures', 'access', 'levels.yaml'));

  test('exact levels and evidence per cell', () => {
    const summary = matrix.people.flatMap((p) =>
      matrix.accounts.map((a) => {
        const c = matrix.cell(p.name, a.name);
        return `${p.name}@${a.name}: ${c.level}${c.evidence ? ` ${c.evidence.action} via ${c.evidence.path}` : ''}`;
      }),
    );
    expect(summary).toEqual([
      'nora@master: none',
      'nora@workload: none',
      'pat@master: none',
      'pat@workload: permissions acm-pca:CreatePermission via function power-users',
      'rita@master: none',
      'rita@workload: read s3:GetObject via function mixed',
      'tess@master: list s3:ListAllMyBuckets via function listers',
      'tess@workload: write ec2:CreateTags via function taggers',
    ]);
  });

  test('each permission set of a path carries its own level', () => {
    const mixed = matrix.cell('rita', 'workload').paths.find((p) => p.kind === 'function' && p.function === 'mixed');
    expect(mixed).toMatchObject({
      permissionSets: [
        { name: 'lister', level: 'list', action: 's3:ListAllMyBuckets' },
        { name: 'read-with-deny', level: 'read', action: 's3:GetObject' },
      ],
    });
  });
});

describe('pipeline accounts', () => {
  // Issue 16 finding 5: the selector narrows the pipeline's own paths, but under assume-role (this file) every stack
  // applies with the master credentials: alice (a changer) holds master through them (this test said `none`).
  test('a selector narrows a pipeline\'s paths: "*" leaves the master out, the master credentials do not', () => {
    const text = readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8').replace(
      '    changers: [operations]\n',
      '    changers: [operations]\n    accounts: "*"\n',
    );
    const narrowed = buildAccessMatrix(loadOrgText(text, 'org.yaml').model!);
    expect(narrowed.pipelineAccounts('terraform-cloud')).toEqual(['development', 'production', 'sandbox', 'storage']);
    const master = narrowed.cell('alice', 'master');
    expect(master.pipelines).toEqual([]);
    expect(master.level).toBe('admin');
    expect(master.evidence?.path).toMatch(/^chain .*pipeline terraform-cloud/);
  });
});
