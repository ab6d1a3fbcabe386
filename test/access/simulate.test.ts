/**
 * npm test's proof of the access matrix: the synthesized Terraform JSON,
 * evaluated by an independent IAM simulator, must agree with the matrix for
 * every person x account x role (see prove.ts for what is asked).
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { synthesizeApp } from '../../src/stacks/app';
import { readSynthesizedIam, simulateAssumeRole, simulateRoleAction, unescapeTerraform, type SynthIam } from '../helpers/simulate';
import { proveAccess, type Proof } from './prove';

const ROOT = path.join(__dirname, '..', '..');
const CASES: Array<[string, string]> = [
  ['the example organisation', path.join(ROOT, 'config', 'org.yaml')],
  ['fixture holds.yaml', path.join(ROOT, 'test', 'fixtures', 'access', 'holds.yaml')],
  ['fixture levels.yaml', path.join(ROOT, 'test', 'fixtures', 'access', 'levels.yaml')],
  ['fixture transitive.yaml', path.join(ROOT, 'test', 'fixtures', 'access', 'transitive.yaml')],
];

describe.each(CASES)('the simulator agrees with the matrix: %s', (_name, file) => {
  let proof: Proof;
  beforeAll(async () => {
    proof = await proveAccess(file);
    const kinds = Object.entries(proof.verdicts.byKind)
      .map(([kind, v]) => `  ${kind}: ${v.allowed} allowed, ${v.denied} denied`)
      .join('\n');
    // The verdict counts are part of the evidence: ROLECALL_TEST_VERBOSE=1 prints them (npm test stays quiet).
    if (process.env.ROLECALL_TEST_VERBOSE)
      console.log(
        `${path.relative(ROOT, file)}: ${proof.verdicts.allowed} allowed, ${proof.verdicts.denied} denied, ${proof.mismatches.length} mismatches\n${kinds}`,
      );
  });

  test('every role the file grants is in the JSON, and no other', () => {
    expect(proof.missingRoles).toEqual([]);
    expect(proof.unknownRoles).toEqual([]);
    expect(proof.iam.roles.length).toBeGreaterThan(0);
  });

  test('no verdict differs from the matrix', () => {
    expect(proof.mismatches).toEqual([]);
  });

  test('both answers occur: members are allowed in, everyone else and every bad context is denied', () => {
    const assume = proof.verdicts.byKind['assume: MFA 5 minutes old, own session name'];
    expect(assume.allowed).toBeGreaterThan(0);
    expect(assume.denied).toBeGreaterThan(0);
    for (const kind of [
      'assume without MFA (key absent)',
      'assume with MFA false',
      'assume with MFA as old as mfaMaxAge',
      'assume with MFA older than mfaMaxAge',
      'assume with another session name',
    ]) {
      expect(proof.verdicts.byKind[kind]).toEqual({ allowed: 0, denied: assume.allowed });
    }
    expect(proof.verdicts.byKind['role: evidence action of its permission set'].denied).toBe(0);
  });
});

describe('transitive paths, proven over the synthesized JSON (fixture transitive.yaml)', () => {
  let proof: Proof;
  beforeAll(async () => {
    proof = await proveAccess(path.join(ROOT, 'test', 'fixtures', 'access', 'transitive.yaml'));
  });

  test('a person in a function with iam:AddUserToGroup on master can add themself to another group, and the matrix says so', async () => {
    const cell = proof.matrix.cell('ivan', 'production');
    // Issue 16: a chain through admin of master (intended: no join or management path kinds any more).
    expect(cell.level).toBe('admin');
    expect(cell.paths.find((p) => p.kind === 'chain')).toMatchObject({
      chain: [
        { label: 'user ivan' },
        { label: 'role iam-helpers in master', edge: 'assume' },
        { label: 'admin of master', edge: 'admin-of-account', action: 'iam:AddUserToGroup' },
        { label: 'role OrganizationAccountAccessRole in production', edge: 'assume' },
      ],
    });
    const helper = proof.iam.roles.find((r) => r.arn === 'arn:aws:iam::111111111111:role/iam-helpers')!;
    expect(await simulateRoleAction(helper, 'iam:AddUserToGroup', 'arn:aws:iam::111111111111:group/operations')).toBe('Allowed');
    // The check can fail: an action the set does not grant is denied on the same group.
    expect(await simulateRoleAction(helper, 'iam:PutGroupPolicy', 'arn:aws:iam::111111111111:group/operations')).not.toBe('Allowed');
    // The simulator's verdict counts for these checks, both ways.
    expect(proof.verdicts.byKind['chain: a role holds the admin action it administers its account by']).toEqual({ allowed: 1, denied: 0 });
    expect(proof.verdicts.byKind['chain: the person may assume the first role'].denied).toBe(0);
    expect(proof.verdicts.byKind['chain: the person may assume the first role'].allowed).toBeGreaterThan(0);
  });

  test('a person who may assume OrganizationAccountAccessRole from master holds admin on every member, and the simulator allows the assume', async () => {
    for (const account of ['production', 'sandbox'])
      expect(proof.matrix.cell('dora', account).paths.find((p) => p.kind === 'chain')).toMatchObject({
        level: 'admin',
        role: 'OrganizationAccountAccessRole',
      });
    expect(proof.verdicts.byKind['chain: a role may assume the next']).toEqual({ allowed: 2, denied: 0 });
    // And the check can fail: a role the grant does not name is denied.
    const deployer = proof.iam.roles.find((r) => r.arn === 'arn:aws:iam::111111111111:role/deployers')!;
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }],
    };
    expect(await simulateRoleAction(deployer, 'sts:AssumeRole', 'arn:aws:iam::222222222222:role/operations', trust)).not.toBe('Allowed');
  });
});

describe('the harness can fail: it catches a weakened trust policy and a widened role', () => {
  let iam: SynthIam;
  beforeAll(() => {
    const compiled = compileOrgFile(path.join(ROOT, 'test', 'fixtures', 'access', 'holds.yaml'));
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-harness-'));
    try {
      synthesizeApp(compiled.plan!, outdir);
      iam = readSynthesizedIam(outdir);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
  const developers = () => iam.roles.find((r) => r.arn === 'arn:aws:iam::222222222222:role/developers')!;

  test('the policy variable was unescaped: the trust policy names ${aws:username}, and only dan gets in as dan', async () => {
    expect(JSON.stringify(developers().trustPolicy)).toContain('"sts:RoleSessionName":"${aws:username}"');
    expect(await simulateAssumeRole(iam, 'dan', developers(), { mfa: true, mfaAgeSeconds: 300 })).toBe('Allowed');
    expect(await simulateAssumeRole(iam, 'dan', developers(), { mfa: true, mfaAgeSeconds: 300, sessionName: 'olive' })).toBe(
      'ImplicitlyDenied',
    );
  });

  test('without the session-name condition another session name would be allowed', async () => {
    const role = structuredClone(developers());
    delete (role.trustPolicy.Statement[0].Condition as Record<string, unknown>).StringEquals;
    expect(await simulateAssumeRole(iam, 'dan', role, { mfa: true, mfaAgeSeconds: 300, sessionName: 'olive' })).toBe('Allowed');
  });

  test('with AdministratorAccess attached, the above-level action would be allowed', async () => {
    const role = structuredClone(developers());
    expect(await simulateRoleAction(role, 's3:PutObject')).toBe('ImplicitlyDenied');
    role.policies.push({
      name: 'admin',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    });
    expect(await simulateRoleAction(role, 's3:PutObject')).toBe('Allowed');
  });

  test('a Terraform interpolation left in a policy is refused, not guessed', () => {
    expect(() => unescapeTerraform('{"Resource":"${aws_iam_role.x.arn}"}', 'here')).toThrow(
      'here: the policy contains a Terraform interpolation',
    );
    expect(unescapeTerraform('{"v":"$${aws:username}"}', 'here')).toBe('{"v":"${aws:username}"}');
  });
});
