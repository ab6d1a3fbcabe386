/**
 * `rolecall audit --from DIR` on hand-written snapshots: nothing on the
 * clean estate the plan of config/org.yaml gives, and every finding kind
 * found where one is planted, with what the file says and what AWS holds.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';
import { compileOrgFile } from '../../src/plan/compile';
import { snapshotsFromPlan, writeSnapshots, type Json, type SnapshotSet } from '../helpers/snapshots';
import type { AuditReport } from '../../src/audit/report';
import type { Finding } from '../../src/audit/findings';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'config', 'org.yaml');
const MANAGED = path.join(ROOT, 'config', 'org-managed.yaml');

function clean(config: string): SnapshotSet {
  const r = compileOrgFile(config);
  if (!r.ok) throw new Error('the example must compile');
  return snapshotsFromPlan(r.model, r.plan);
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-audit-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function audit(set: SnapshotSet, config = EXAMPLE, extra: string[] = []) {
  const dir = path.join(tmp, `snap-${Math.random().toString(36).slice(2)}`);
  writeSnapshots(dir, set);
  const run = await runCli(['audit', '--config', config, '--from', dir, '--format', 'json', ...extra]);
  const report = run.out.trim().startsWith('{') ? (JSON.parse(run.out) as AuditReport) : undefined;
  return { ...run, report, dir };
}

const users = (a: Json) => a.UserDetailList as Json[];
const roles = (a: Json) => a.RoleDetailList as Json[];
const groups = (a: Json) => a.GroupDetailList as Json[];
const adminAttached = [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }];

function only(report: AuditReport | undefined, code: string): Finding[] {
  return (report?.findings ?? []).filter((f) => f.code === code);
}

describe('the clean estate', () => {
  it('config/org.yaml applied: no finding, exit 0, evidence with hashes', async () => {
    const { code, report, err } = await audit(clean(EXAMPLE));
    expect(err).toBe('');
    expect(report?.findings).toEqual([]);
    expect(code).toBe(0);
    expect(report?.accounts.map((a) => a.account)).toEqual(['development', 'master', 'production', 'sandbox', 'storage']);
    for (const a of report!.accounts) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report?.config.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report?.skippedServiceRoles).toBe(5);
  });

  it('config/org-managed.yaml with its organization: no finding', async () => {
    const { code, report } = await audit(clean(MANAGED), MANAGED);
    expect(report?.findings).toEqual([]);
    expect(report?.organization?.policies).toBeGreaterThan(1);
    expect(code).toBe(0);
  });

  it('markdown: the findings table names account, principal, the file and AWS', async () => {
    const set = clean(EXAMPLE);
    users(set.accounts.master).push({
      UserName: 'legacy-admin',
      Path: '/',
      Arn: 'arn:aws:iam::111111111111:user/legacy-admin',
      AttachedManagedPolicies: adminAttached,
    });
    const dir = path.join(tmp, 'md');
    writeSnapshots(dir, set);
    const { code, out, err } = await runCli(['audit', '--config', EXAMPLE, '--from', dir]);
    expect(code).toBe(1);
    // RA102, and the live matrix's RA131 in each of the five accounts (admin of master, OrganizationAccountAccessRole elsewhere).
    expect(err).toContain('6 findings at or above low');
    expect(out).toContain(
      '| critical | RA102 undeclared-user | master | user/legacy-admin | no such person | IAM user arn:aws:iam::111111111111:user/legacy-admin with policy AdministratorAccess |',
    );
    expect(out).toContain(
      '| critical | RA131 live-access-exceeds | production | user/legacy-admin | no access | legacy-admin reaches production as admin through user legacy-admin -\\> role OrganizationAccountAccessRole in production (e.g. ',
    );
  });
});

describe('principals rolecall does not manage', () => {
  it('a legacy admin user in the identity account, and a user in a member account', async () => {
    const set = clean(EXAMPLE);
    users(set.accounts.master).push({
      UserName: 'legacy-admin',
      Path: '/',
      Arn: 'arn:aws:iam::111111111111:user/legacy-admin',
      GroupList: [],
      AttachedManagedPolicies: adminAttached,
    });
    users(set.accounts.production).push({ UserName: 'ci', Path: '/', Arn: 'arn:aws:iam::222222222222:user/ci' });
    const { code, report } = await audit(set);
    expect(code).toBe(1);
    expect(only(report, 'RA102')).toEqual([
      expect.objectContaining({ account: 'master', principal: 'user/legacy-admin', severity: 'critical' }),
    ]);
    expect(only(report, 'RA101')).toEqual([expect.objectContaining({ account: 'production', principal: 'user/ci', severity: 'high' })]);
    // The user in production is no person (people live in the identity account): only legacy-admin is in the matrix.
    expect(only(report, 'RA131').map((f) => `${f.principal} ${f.account} ${f.severity} ${f.file}`)).toEqual(
      ['development', 'master', 'production', 'sandbox', 'storage'].map((a) => `user/legacy-admin ${a} critical no access`),
    );
    expect(report?.findings).toHaveLength(7);
  });

  it('a shadow admin role trusting another account, a role trusting the identity account', async () => {
    const set = clean(EXAMPLE);
    roles(set.accounts.production).push({
      RoleName: 'legacy-ops',
      Path: '/',
      Arn: 'arn:aws:iam::222222222222:role/legacy-ops',
      AssumeRolePolicyDocument: encodeURIComponent(
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'sts:AssumeRole' }],
        }),
      ),
      AttachedManagedPolicies: adminAttached,
    });
    roles(set.accounts.sandbox).push({
      RoleName: 'handmade',
      Path: '/',
      Arn: 'arn:aws:iam::555555555555:role/handmade',
      AssumeRolePolicyDocument: {
        Statement: { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' },
      },
    });
    const { report } = await audit(set);
    const found = only(report, 'RA103');
    expect(found).toEqual([
      expect.objectContaining({ account: 'production', principal: 'role/legacy-ops', severity: 'critical' }),
      expect.objectContaining({ account: 'sandbox', principal: 'role/handmade', severity: 'high' }),
    ]);
    expect(found[0].aws).toContain('trusting arn:aws:iam::999999999999:root (outside the organisation the file names)');
    expect(report?.findings).toHaveLength(2);
  });

  it('groups and customer managed policies the file does not declare', async () => {
    const set = clean(EXAMPLE);
    groups(set.accounts.master).push({
      GroupName: 'legacy-admins',
      Path: '/',
      Arn: 'arn:aws:iam::111111111111:group/legacy-admins',
      AttachedManagedPolicies: adminAttached,
    });
    (set.accounts.sandbox.Policies as Json[]).push({
      PolicyName: 'handmade',
      Arn: 'arn:aws:iam::555555555555:policy/handmade',
      Path: '/',
      AttachmentCount: 0,
    });
    const { report } = await audit(set);
    expect(only(report, 'RA104')).toEqual([expect.objectContaining({ principal: 'group/legacy-admins', severity: 'medium' })]);
    expect(only(report, 'RA105')).toEqual([expect.objectContaining({ account: 'sandbox', principal: 'policy/handmade', severity: 'low' })]);
  });

  it('an account the file does not list, and an account of the file without a snapshot', async () => {
    const set = clean(EXAMPLE);
    set.accounts['999988887777'] = { UserDetailList: [], RoleDetailList: [] };
    delete set.accounts.sandbox;
    delete set.organization;
    const { report, code } = await audit(set);
    expect(code).toBe(1);
    expect(only(report, 'RA106')).toEqual([expect.objectContaining({ account: '999988887777', severity: 'medium' })]);
    expect(only(report, 'RA107')).toEqual([expect.objectContaining({ account: 'sandbox', severity: 'medium' })]);
    expect(report?.notAudited).toEqual(['sandbox']);
  });
});

describe('drift on what rolecall manages', () => {
  it('trust, an attached policy, a changed inline policy, a changed group policy', async () => {
    const set = clean(EXAMPLE);
    const ops = roles(set.accounts.production).find((r) => r.RoleName === 'operations')!;
    ops.AssumeRolePolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::999999999999:root'] },
          Action: 'sts:AssumeRole',
        },
      ],
    };
    (ops.AttachedManagedPolicies as Json[]).push({ PolicyName: 'IAMFullAccess', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' });
    const auditors = roles(set.accounts.production).find((r) => r.RoleName === 'auditors')!;
    (auditors.RolePolicyList as Json[])[0].PolicyDocument = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    };
    const assume = (set.accounts.master.Policies as Json[]).find((p) => p.PolicyName === 'operations-assume-roles-1')!;
    (assume.PolicyVersionList as Json[])[0].Document = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
    };
    const { report } = await audit(set);
    expect(only(report, 'RA111')).toEqual([
      expect.objectContaining({ principal: 'role/operations', account: 'production', severity: 'critical' }),
    ]);
    expect(only(report, 'RA111')[0].aws).toContain('also trusts arn:aws:iam::999999999999:root');
    expect(only(report, 'RA112')).toEqual([
      expect.objectContaining({ principal: 'role/operations', aws: 'also attached arn:aws:iam::aws:policy/IAMFullAccess' }),
    ]);
    expect(
      only(report, 'RA113')
        .map((f) => `${f.account} ${f.principal} ${f.severity}`)
        .sort(),
    ).toEqual(['master policy/operations-assume-roles-1 high', 'production role/auditors high']);
  });

  it('memberships: a user added to a group, a membership removed', async () => {
    const set = clean(EXAMPLE);
    const alice = users(set.accounts.master).find((u) => u.UserName === 'alice')!;
    (alice.GroupList as string[]).push('developers');
    const bob = users(set.accounts.master).find((u) => u.UserName === 'bob')!;
    bob.GroupList = (bob.GroupList as string[]).filter((g) => g !== 'auditors');
    const { report } = await audit(set);
    expect(only(report, 'RA114')).toEqual([
      expect.objectContaining({ principal: 'user/alice', aws: 'also in group developers', severity: 'high' }),
    ]);
    expect(only(report, 'RA115')).toEqual([expect.objectContaining({ principal: 'user/bob', severity: 'medium' })]);
    // alice already reaches everything developers give; bob lost his read of master.
    expect(only(report, 'RA132')).toEqual([
      expect.objectContaining({
        principal: 'user/bob',
        account: 'master',
        aws: 'no access',
        file: 'read through user bob -> role auditors in master',
      }),
    ]);
    expect(report?.findings).toHaveLength(3);
  });

  it('login profiles and access keys, when the snapshot carries them', async () => {
    const set = clean(EXAMPLE);
    for (const u of users(set.accounts.master)) {
      u.LoginProfile = u.UserName === 'dave' ? { CreateDate: '2026-01-01T00:00:00Z' } : null;
      u.AccessKeys =
        u.UserName === 'alice'
          ? [
              { AccessKeyId: 'AKIA1', Status: 'Active' },
              { AccessKeyId: 'AKIA2', Status: 'Active' },
            ]
          : [];
    }
    const { report } = await audit(set);
    const found = only(report, 'RA116').map((f) => `${f.principal} ${f.severity} ${f.aws}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'user/dave high a login profile (console password)',
        'user/alice high 2 active access keys (AKIA1, AKIA2)',
        'user/alice low no login profile',
        'user/frank low no active access key',
      ]),
    );
  });

  it('a missing role and user, a path and session length changed', async () => {
    const set = clean(EXAMPLE);
    set.accounts.sandbox.RoleDetailList = roles(set.accounts.sandbox).filter((r) => r.RoleName !== 'network');
    set.accounts.master.UserDetailList = users(set.accounts.master).filter((u) => u.UserName !== 'erin');
    const dev = roles(set.accounts.development).find((r) => r.RoleName === 'developers')!;
    dev.MaxSessionDuration = 43200;
    const { report } = await audit(set);
    expect(only(report, 'RA117').map((f) => `${f.account} ${f.principal}`)).toEqual(['master user/erin', 'sandbox role/network']);
    expect(only(report, 'RA118')).toEqual([expect.objectContaining({ principal: 'role/developers', aws: 'maximum session 43200 s' })]);
  });
});

describe('the live access matrix (RA131, RA132)', () => {
  it('alice reaches production as admin through role legacy-ops, which the file does not have', async () => {
    const set = clean(EXAMPLE);
    // A hand-made admin role naming a person, and the grant in her own user that lets her assume it.
    roles(set.accounts.production).push({
      RoleName: 'legacy-ops',
      Path: '/',
      Arn: 'arn:aws:iam::222222222222:role/legacy-ops',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }],
      },
      AttachedManagedPolicies: adminAttached,
    });
    const bob = users(set.accounts.master).find((u) => u.UserName === 'bob')!;
    bob.UserPolicyList = [
      {
        PolicyName: 'legacy',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::222222222222:role/legacy-ops' }],
        },
      },
    ];
    const { report } = await audit(set);
    expect(only(report, 'RA103')).toEqual([expect.objectContaining({ principal: 'role/legacy-ops' })]);
    const live = only(report, 'RA131');
    expect(live).toEqual([
      expect.objectContaining({
        account: 'production',
        principal: 'user/bob',
        severity: 'critical',
        file: expect.stringMatching(/^read through /),
      }),
    ]);
    expect(live[0].aws).toMatch(/^bob reaches production as admin through user bob -> role legacy-ops in production \(e\.g\. /);
    expect(report?.liveMatrix.computed).toBe(true);
  });

  it('an account left out by --account is not compared, and chains through it are as the file says', async () => {
    const set = clean(EXAMPLE);
    // bob may assume production's operations role (his own policy); storage holds a role trusting production.
    const bob = users(set.accounts.master).find((u) => u.UserName === 'bob')!;
    bob.UserPolicyList = [
      {
        PolicyName: 'legacy',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::222222222222:role/operations' }],
        },
      },
    ];
    roles(set.accounts.storage).push({
      RoleName: 'legacy',
      Path: '/',
      Arn: 'arn:aws:iam::333333333333:role/legacy',
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }],
      },
      AttachedManagedPolicies: adminAttached,
    });
    // Production is not audited, so not compared; its roles are the file's, and bob's way through them to storage is found.
    const { report } = await audit(set, EXAMPLE, ['--account', 'master', '--account', 'storage']);
    expect(report?.liveMatrix.computed).toBe(true);
    const live = only(report, 'RA131');
    expect(live.map((f) => `${f.principal} ${f.account}`)).toEqual(['user/bob storage']);
    expect(live[0].aws).toContain('-> role operations in production -> role legacy in storage');
  });

  it('without the identity account the matrix is not computed, and says so', async () => {
    const set = clean(EXAMPLE);
    const { report } = await audit(set, EXAMPLE, ['--account', 'production']);
    expect(report?.liveMatrix).toEqual({ computed: false, note: expect.stringContaining('no snapshot of the identity account (master)') });
  });
});

describe('the organisation', () => {
  it('SCPs missing, changed, detached, undeclared; an account in another OU', async () => {
    const set = clean(MANAGED);
    const org = set.organization!;
    const policies = org.Policies as Json[];
    const baseline = policies.find((p) => p.Name === 'rolecall-member-baseline')!;
    baseline.Content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }] });
    const perimeter = policies.find((p) => p.Name === 'rolecall-member-perimeter')!;
    org.Policies = policies.filter((p) => p !== perimeter);
    const other = policies.find((p) => p.Name === 'rolecall-services-storage')!;
    other.Targets = [];
    (org.Policies as Json[]).push({
      Id: 'p-hand',
      Name: 'handmade',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: '{"Statement":[]}',
      Targets: ['222222222222'],
    });
    const sandbox = (org.Accounts as Json[]).find((a) => a.Id === '555555555555')!;
    sandbox.ParentId = (org.Roots as Json[])[0].Id;
    const { report } = await audit(set, MANAGED);
    expect(only(report, 'RA121')).toEqual([expect.objectContaining({ principal: `rcp/${String(perimeter.Name)}`, severity: 'high' })]);
    expect(only(report, 'RA122')).toEqual([expect.objectContaining({ principal: 'scp/rolecall-member-baseline', severity: 'high' })]);
    expect(only(report, 'RA123')).toEqual([expect.objectContaining({ principal: `scp/${String(other.Name)}`, severity: 'high' })]);
    expect(only(report, 'RA124')).toEqual([expect.objectContaining({ principal: 'scp/handmade', aws: 'p-hand, attached to production' })]);
    expect(only(report, 'RA125')).toEqual([expect.objectContaining({ account: 'sandbox', file: 'in OU Sandbox', aws: 'at the root' })]);
  });

  it('an account in the organisation the file does not list', async () => {
    const set = clean(EXAMPLE);
    (set.organization!.Accounts as Json[]).push({ Id: '777777777777', Name: 'old-poc', Status: 'ACTIVE' });
    const { report } = await audit(set);
    expect(only(report, 'RA106')).toEqual([
      expect.objectContaining({ account: '777777777777', aws: expect.stringContaining('"old-poc"') }),
    ]);
  });
});

describe('the command line', () => {
  it('--fail-on: findings below it exit 0, at it exit 1', async () => {
    const set = clean(EXAMPLE);
    delete set.accounts.sandbox;
    expect((await audit(set, EXAMPLE, ['--fail-on', 'high'])).code).toBe(0);
    expect((await audit(set, EXAMPLE, ['--fail-on', 'medium'])).code).toBe(1);
  });

  it('--account: only those accounts, repeated; an unknown one is exit 2 with a suggestion', async () => {
    const set = clean(EXAMPLE);
    users(set.accounts.production).push({ UserName: 'ci', Path: '/', Arn: 'arn:aws:iam::222222222222:user/ci' });
    const { report, code } = await audit(set, EXAMPLE, ['--account', 'master', '--account', 'storage']);
    expect(code).toBe(0);
    expect(report?.accounts.map((a) => a.account)).toEqual(['master', 'storage']);
    const bad = await audit(set, EXAMPLE, ['--account', 'prodution']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('RA008');
    expect(bad.err).toContain('did you mean "production"?');
  });

  it('help lists audit', async () => {
    const { out } = await runCli(['help']);
    expect(out).toMatch(/^ {2}audit \[--from DIR\]/m);
  });
});
