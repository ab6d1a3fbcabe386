/**
 * `rolecall import`: config/org.yaml applied (its clean snapshots), imported,
 * gives a file whose access matrix equals config/org.yaml's; the draft
 * validates, adopts what exists, and lists what it could not express.
 * Pipelines are not IAM, so the comparison is with config/org.yaml without
 * its pipeline (the import cannot see who merges to the applied branch).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli';
import { compileOrgText, type CompileResult } from '../../src/plan/compile';
import { importEstate } from '../../src/audit/import';
import { parseAccountSnapshot, parseOrganizationSnapshot } from '../../src/audit/snapshot';
import { snapshotsFromPlan, writeSnapshots, type Json, type SnapshotSet } from '../helpers/snapshots';

const ROOT = path.join(__dirname, '..', '..');

function exampleWithoutPipelines(): Extract<CompileResult, { ok: true }> {
  const data = parse(fs.readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8')) as Record<string, unknown>;
  delete data.pipelines;
  const compiled = compileOrgText(stringify(data), 'org.yaml');
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  return compiled;
}

function importSet(set: SnapshotSet) {
  const snapshots = Object.entries(set.accounts).map(([name, json]) => {
    const r = parseAccountSnapshot(Buffer.from(JSON.stringify(json)), `${name}.json`, name);
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    return r.value;
  });
  const org = set.organization ? parseOrganizationSnapshot(Buffer.from(JSON.stringify(set.organization)), 'organizations.json') : undefined;
  return importEstate({ snapshots, organization: org?.ok ? org.value : undefined, region: 'eu-west-1' });
}

/** Every person x account cell, as levels and role names: what the matrix says, names of permission sets aside. */
function cells(c: Extract<CompileResult, { ok: true }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of c.matrix.people)
    for (const a of c.matrix.accounts) {
      const cell = c.matrix.cell(p.name, a.name);
      out[`${p.name} ${a.name}`] =
        `${cell.level} via ${[...cell.roles].sort().join(',')} functions ${[...cell.functions].sort().join(',')}`;
    }
  return out;
}

test('round trip: the imported file gives config/org.yaml’s access matrix, cell for cell', () => {
  const original = exampleWithoutPipelines();
  const result = importSet(snapshotsFromPlan(original.model, original.plan));
  const draft = compileOrgText(result.yaml, 'imported.yaml');
  expect(draft.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!draft.ok) return;
  expect(cells(draft)).toEqual(cells(original));
  expect(Object.keys(cells(original)).length).toBe(30);
  // Everything that exists is adopted: users, groups and every role.
  expect(draft.model.org.deploy.adopt?.people).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
  expect(draft.model.org.deploy.adopt?.groups).toEqual(['auditors', 'developers', 'network', 'operations']);
  const roles = draft.plan.stacks.flatMap((s) => s.roles);
  expect(roles.length).toBe(original.plan.stacks.flatMap((s) => s.roles).length);
  expect(roles.every((r) => r.adopt === true)).toBe(true);
  // Same roles, same trust, same policies: the first plan changes nothing on them.
  const shape = (c: typeof original) =>
    c.plan.stacks.flatMap((s) =>
      s.roles.map((r) => ({ arn: r.arn, trust: r.trustPolicy, managed: r.managedPolicyArns, max: r.maxSessionDuration })),
    );
  expect(shape(draft)).toEqual(shape(original));
});

test('what cannot be expressed is listed with why, and hostile strings stay data', () => {
  const original = exampleWithoutPipelines();
  const set = snapshotsFromPlan(original.model, original.plan);
  const master = set.accounts.master;
  (master.UserDetailList as Json[]).push({
    UserName: 'mallory',
    Path: '/',
    Arn: 'arn:aws:iam::111111111111:user/mallory',
    GroupList: ['operations'],
    Tags: [{ Key: 'Name', Value: 'x\n  injected: true\n"quoted": [' }],
  });
  (master.GroupDetailList as Json[]).push({ GroupName: 'Bad Group', Path: '/', Arn: 'arn:aws:iam::111111111111:group/Bad Group' });
  const ops = (set.accounts.production.RoleDetailList as Json[]).find((r) => r.RoleName === 'operations')!;
  ops.RolePolicyList = [
    {
      PolicyName: 'weird',
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
          { Effect: 'Allow', Action: ['s3:GetObject', 'made:Up'], Resource: '*' },
        ],
      },
    },
  ];
  (set.accounts.production.RoleDetailList as Json[]).push({
    RoleName: 'legacy',
    Path: '/',
    Arn: 'arn:aws:iam::222222222222:role/legacy',
    AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'sts:AssumeRole' }] },
  });
  const result = importSet(set);
  const draft = compileOrgText(result.yaml, 'imported.yaml');
  expect(draft.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(draft.model?.org.people.mallory.name).toBe('x\n  injected: true\n"quoted": [');
  const text = result.unexpressed.join('\n');
  expect(text).toContain('group "Bad Group": not a function name');
  expect(text).toContain('role operations in production, inline policy weird: a statement with NotAction (Allow) is not expressible');
  expect(text).toContain('actions the IAM catalog does not know were left out: "made:Up"');
  expect(text).toContain('role legacy in production: no group of the identity account may assume it');
  expect(text).toContain('person mallory: no Email tag');
});

test('the command: writes a draft that validates, prints what it could not express', async () => {
  const original = exampleWithoutPipelines();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-import-'));
  try {
    writeSnapshots(path.join(tmp, 'ev'), snapshotsFromPlan(original.model, original.plan));
    const out = path.join(tmp, 'draft.yaml');
    const run = await runCli(['import', '--from', path.join(tmp, 'ev'), '--out', out]);
    expect(run.err).toContain(`Wrote ${out}: 5 accounts, 6 people, 4 functions`);
    expect(run.code).toBe(0);
    const check = await runCli(['validate', '--config', out]);
    expect(check.code).toBe(0);
    const missing = await runCli(['import', '--from', path.join(tmp, 'ev')]);
    expect(missing.code).toBe(2);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
