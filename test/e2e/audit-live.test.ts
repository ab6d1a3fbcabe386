/**
 * `rolecall audit` and `rolecall import` against the AWS API emulator
 * (test/helpers/emulator.ts: moto 5.2 behind the harness proxy), one
 * emulator for the suite:
 *
 * - config/org.yaml's stacks applied with terraform (one plan and apply per
 *   stack), then audited live (the SDK v3 clients through AWS_ENDPOINT_URL,
 *   AssumeRole into every account, every page followed): nothing is found on
 *   the clean estate, nor in the snapshots the fetch saves; that estate,
 *   imported, gives config/org.yaml's access matrix;
 * - the drift the issue plants by hand (a shadow admin role trusting another
 *   account, a legacy admin user in the identity account, a policy attached
 *   to a rolecall role, a user added to a group): each found, live and from
 *   the saved snapshots;
 * - an estate made by hand (an organisation with a member account, users,
 *   groups, roles with trust and policies; no rolecall plan involved),
 *   imported live (`rolecall import` without --from), the draft synthesized
 *   and planned against the emulator: every user, group and role that exists
 *   is imported, none is created, nothing is destroyed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli';
import { emulatorOrSkip, staticCredentials } from '../helpers/emulator';
import { configText, Estate, type Changes } from '../helpers/lifecycle';
import { mapLimit } from '../helpers/terraform';
import { compileOrgFile, compileOrgText } from '../../src/plan/compile';
import type { AuditReport } from '../../src/audit/report';

const run = emulatorOrSkip('audit e2e (config/org.yaml applied, audited, drifted, imported)') ? describe : describe.skip;
const ROOT = path.join(__dirname, '..', '..');
const CONFIG = path.join(ROOT, 'config', 'org.yaml');
const MASTER = '111111111111';
const PRODUCTION = '222222222222';
/** The hand-made estate's management account (an organisation of its own in the emulator). */
const HAND = '666666666666';

/** Runs `work` with the environment of a CLI run as `accountId` through the emulator (static key, AWS_ENDPOINT_URL). */
async function asAccount<T>(endpoint: string, accountId: string, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  const c = staticCredentials(accountId);
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: c.access_key,
    AWS_SECRET_ACCESS_KEY: c.secret_key,
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: endpoint,
  });
  try {
    return await work();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

function codes(report: AuditReport | undefined): string[] {
  return (report?.findings ?? []).map((f) => `${f.code} ${f.account} ${f.principal}`).sort();
}

/** Addresses whose first action is `action`, as `type.name` (the construct id up to its hash suffix). */
function addressesDoing(changes: Changes, action: string): string[] {
  return Object.entries(changes)
    .filter(([, a]) => a.split(',')[0] === action)
    .map(([addr]) => addr)
    .sort();
}

run('audit and import against the emulator', () => {
  let estate: Estate;
  let tmp: string;
  const applied: Record<string, Changes> = {};

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-audit-live-'));
    estate = await Estate.start();
    estate.synth(configText('org.yaml'));
    // One plan and one apply per stack: the estate config/org.yaml's stacks make.
    await mapLimit(estate.stackIds(), 2, async (stack) => {
      applied[stack] = (await estate.apply(stack)).changes;
    });
  }, 1800000);
  afterAll(async () => {
    await estate?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const audit = (args: string[]) =>
    asAccount(estate.em.endpoint, MASTER, async () => {
      const r = await runCli(['audit', '--config', CONFIG, '--format', 'json', ...args]);
      return { ...r, report: r.out.trim().startsWith('{') ? (JSON.parse(r.out) as AuditReport) : undefined };
    });

  it('the stacks applied: every stack created what it plans, nothing else', () => {
    expect(Object.keys(applied).sort()).toEqual([
      'account-development',
      'account-production',
      'account-sandbox',
      'account-storage',
      'master',
    ]);
    for (const [stack, changes] of Object.entries(applied))
      expect([stack, Object.values(changes).every((a) => a === 'create')]).toEqual([stack, true]);
  });

  it('the clean estate: nothing found live, nor from the snapshots the fetch saved (same hashes)', async () => {
    const saved = path.join(tmp, 'clean');
    const live = await audit(['--save', saved]);
    expect(live.err).not.toContain('error');
    expect(live.report?.findings).toEqual([]);
    expect(live.code).toBe(0);
    expect(live.report?.source).toBe('live');
    expect(live.report?.accounts.map((a) => `${a.account} ${a.users} ${a.groups}`)).toEqual([
      'development 0 0',
      'master 6 5',
      'production 0 0',
      'sandbox 0 0',
      'storage 0 0',
    ]);
    expect(fs.readdirSync(saved).sort()).toEqual(['development.json', 'master.json', 'production.json', 'sandbox.json', 'storage.json']);
    const again = await audit(['--from', saved]);
    expect(again.report?.findings).toEqual([]);
    expect(again.report?.accounts.map((a) => a.sha256)).toEqual(live.report?.accounts.map((a) => a.sha256));
  }, 300000);

  it('import round trip: the applied estate, imported, gives config/org.yaml’s matrix (pipelines aside: not IAM)', async () => {
    const draftFile = path.join(tmp, 'imported.yaml');
    const imported = await runCli(['import', '--from', path.join(tmp, 'clean'), '--out', draftFile]);
    expect([imported.code, imported.err]).toEqual([0, expect.stringContaining('deploy.adopt imports what exists')]);
    const draft = compileOrgFile(draftFile);
    const data = parse(fs.readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;
    delete data.pipelines;
    const original = compileOrgText(stringify(data), 'org.yaml');
    expect(draft.ok && original.ok).toBe(true);
    if (!draft.ok || !original.ok) return;
    const cells = (c: typeof draft) =>
      c.matrix.people.flatMap((p) => c.matrix.accounts.map((a) => `${p.name} ${a.name} ${c.matrix.cell(p.name, a.name).level}`));
    expect(cells(draft)).toEqual(cells(original));
    expect(cells(original).length).toBe(30);
    // The roles as applied: same ARNs and maximum sessions (ListRoles gives them; the authorization details do not).
    const roles = (c: typeof draft) => c.plan.stacks.flatMap((s) => s.roles.map((r) => `${r.arn} ${r.maxSessionDuration}`)).sort();
    expect(roles(draft)).toEqual(roles(original));
  }, 120000);

  it('planted drift: each found, live and from the saved snapshots', async () => {
    await estate.boto(
      PRODUCTION,
      `iam = client("iam")
iam.create_role(RoleName="legacy-ops", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}))
iam.attach_role_policy(RoleName="legacy-ops", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.attach_role_policy(RoleName="network", PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")
out(1)`,
    );
    await estate.boto(
      MASTER,
      `iam = client("iam")
iam.create_user(UserName="legacy-admin")
iam.attach_user_policy(UserName="legacy-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.create_login_profile(UserName="legacy-admin", Password="Legacy-passw0rd!", PasswordResetRequired=False)
iam.enable_mfa_device(UserName="legacy-admin", SerialNumber=iam.create_virtual_mfa_device(VirtualMFADeviceName="legacy-admin")["VirtualMFADevice"]["SerialNumber"], AuthenticationCode1="123456", AuthenticationCode2="654321")
iam.add_user_to_group(UserName="dave", GroupName="operations")
out(1)`,
    );

    const saved = path.join(tmp, 'drift');
    const live = await audit(['--save', saved]);
    const expected = [
      'RA102 master user/legacy-admin',
      'RA103 production role/legacy-ops',
      'RA112 production role/network',
      'RA114 master user/dave',
      // The live access matrix: dave as operations, erin's network role escalating through IAMFullAccess, the admin user everywhere.
      'RA131 development user/legacy-admin',
      'RA131 master user/dave',
      'RA131 master user/legacy-admin',
      'RA131 production user/dave',
      'RA131 production user/erin',
      'RA131 production user/legacy-admin',
      'RA131 sandbox user/legacy-admin',
      'RA131 storage user/dave',
      'RA131 storage user/legacy-admin',
    ];
    expect(codes(live.report)).toEqual(expected);
    expect(live.code).toBe(1);
    const severities = Object.fromEntries(
      (live.report?.findings ?? []).filter((f) => f.code !== 'RA131').map((f) => [f.principal, f.severity]),
    );
    expect(severities).toEqual({
      'user/legacy-admin': 'critical',
      'role/legacy-ops': 'critical',
      'role/network': 'high',
      'user/dave': 'high',
    });
    const fromSnapshots = await audit(['--from', saved, '--fail-on', 'critical']);
    expect(codes(fromSnapshots.report)).toEqual(expected);
    expect(fromSnapshots.code).toBe(1);
  }, 300000);

  it('an estate made by hand, imported live: the draft’s plan imports every user, group and role, creates none, destroys nothing', async () => {
    // An organisation of its own (management account HAND) with one member account, made by hand.
    const member: string = await estate.boto(
      HAND,
      `org = client("organizations")
org.create_organization(FeatureSet="ALL")
root = org.list_roots()["Roots"][0]["Id"]
ou = org.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]["Id"]
acct = org.create_account(Email="aws+shop@corp.example", AccountName="Shop Prod")["CreateAccountStatus"]["AccountId"]
org.move_account(AccountId=acct, SourceParentId=root, DestinationParentId=ou)
out(acct)`,
    );
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HAND}:root` }, Action: 'sts:AssumeRole', Condition: mfa }],
    });
    const assume = (resource: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: resource,
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
          },
        ],
      });
    const denySecrets = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    });
    // People under rolecall's user path: moto drops tags when a path moves (GAPS.UpdateUserPathDropsTags).
    await estate.boto(
      HAND,
      `iam = client("iam")
for name, full in (("maria", "Maria Ops"), ("li", "Li Reader")):
    iam.create_user(UserName=name, Path="/rolecall/", Tags=[{"Key": "Name", "Value": full}, {"Key": "Email", "Value": name + "@corp.example"}])
iam.create_login_profile(UserName="maria", Password="Hand-made-passw0rd!", PasswordResetRequired=False)
iam.create_group(GroupName="platform")
iam.put_group_policy(GroupName="platform", PolicyName="assume-platform", PolicyDocument=${JSON.stringify(assume(`arn:aws:iam::${member}:role/platform`))})
iam.create_group(GroupName="readers")
arn = iam.create_policy(PolicyName="assume-readers", PolicyDocument=${JSON.stringify(assume('arn:aws:iam::*:role/readers'))})["Policy"]["Arn"]
iam.attach_group_policy(GroupName="readers", PolicyArn=arn)
iam.add_user_to_group(GroupName="platform", UserName="maria")
iam.add_user_to_group(GroupName="readers", UserName="maria")
iam.add_user_to_group(GroupName="readers", UserName="li")
iam.create_role(RoleName="readers", AssumeRolePolicyDocument=${JSON.stringify(trust)}, MaxSessionDuration=7200)
iam.attach_role_policy(RoleName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
iam.put_role_policy(RoleName="readers", PolicyName="deny-secrets", PolicyDocument=${JSON.stringify(denySecrets)})
out(1)`,
    );
    await estate.boto(
      member,
      `iam = client("iam")
iam.create_role(RoleName="platform", AssumeRolePolicyDocument=${JSON.stringify(trust)}, MaxSessionDuration=3600)
iam.attach_role_policy(RoleName="platform", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
iam.create_role(RoleName="readers", AssumeRolePolicyDocument=${JSON.stringify(trust)}, MaxSessionDuration=7200)
iam.attach_role_policy(RoleName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
iam.put_role_policy(RoleName="readers", PolicyName="deny-secrets", PolicyDocument=${JSON.stringify(denySecrets)})
out(1)`,
    );

    const draftFile = path.join(tmp, 'hand.yaml');
    const saved = path.join(tmp, 'hand');
    const imported = await asAccount(estate.em.endpoint, HAND, () => runCli(['import', '--save', saved, '--out', draftFile]));
    expect([imported.code, imported.err]).toEqual([0, expect.stringContaining(`Wrote ${draftFile}: 2 accounts, 2 people, 2 functions`)]);
    expect(fs.readdirSync(saved).sort()).toEqual([`${HAND}.json`, `${member}.json`, 'organizations.json'].sort());
    const text = fs.readFileSync(draftFile, 'utf8');
    const draft = compileOrgText(text, 'hand.yaml');
    expect(draft.ok).toBe(true);
    if (!draft.ok) return;
    const org = draft.model.org;
    expect(Object.fromEntries(Object.entries(org.accounts).map(([k, a]) => [k, [a.id, a.ou ?? null]]))).toEqual({
      master: [HAND, null],
      'shop-prod': [member, 'Workloads'],
    });
    // What each person reaches, as the estate grants it: the permission sets are the roles' policies, the session the roles' (ListRoles).
    const reach = (p: string) => draft.matrix.accounts.map((a) => `${a.name} ${draft.matrix.cell(p, a.name).level}`);
    // ReadOnlyAccess rates `permissions` (eight of its actions are not reads: config/org.yaml's read-only set denies them).
    expect([reach('maria'), reach('li')]).toEqual([
      ['master permissions', 'shop-prod admin'],
      ['master permissions', 'shop-prod permissions'],
    ]);
    const yaml = parse(text) as { functions: Record<string, { sessionDuration?: string }>; permissions: Record<string, unknown> };
    expect([yaml.functions.readers.sessionDuration, yaml.functions.platform.sessionDuration]).toEqual(['2h', '1h']);
    expect(yaml.permissions.admin).toEqual({ managed: ['AdministratorAccess'] });
    expect(imported.err).toContain('person maria: has a console password');
    expect(org.deploy.adopt).toEqual({
      people: ['li', 'maria'],
      groups: ['platform', 'readers'],
      roles: { platform: ['shop-prod'], readers: ['master', 'shop-prod'] },
    });

    // Its own output and state on the same emulator: config/org.yaml's stacks have the same names.
    const hand = estate.view('hand');
    hand.synth(text);
    const stacks = hand.stackIds().sort();
    expect(stacks).toEqual(['account-shop-prod', 'master']);
    const plans = await mapLimit(stacks, 2, (s) => hand.planStack(s));
    const changes = Object.fromEntries(stacks.map((s, i) => [s, plans[i].changes]));
    const principals = /^aws_iam_(user|group|role)\./;
    const imports = (c: Changes) =>
      addressesDoing(c, 'import')
        .filter((a) => principals.test(a))
        .map((a) => a.replace(/_[0-9A-F]{8}$/i, ''));
    expect(imports(changes.master)).toEqual([
      'aws_iam_group.group-platform',
      'aws_iam_group.group-readers',
      'aws_iam_role.role-readers',
      'aws_iam_user.user-li',
      'aws_iam_user.user-maria',
    ]);
    expect(imports(changes['account-shop-prod'])).toEqual(['aws_iam_role.role-platform', 'aws_iam_role.role-readers']);
    for (const [stack, c] of Object.entries(changes))
      for (const [addr, action] of Object.entries(c)) {
        // Nothing is destroyed or replaced; no user, group or role that exists is created.
        expect([stack, addr, action.includes('delete')]).toEqual([stack, addr, false]);
        if (principals.test(addr) && !/RequireMFA/i.test(addr))
          expect([stack, addr, action.split(',')[0]]).toEqual([stack, addr, 'import']);
      }
  }, 900000);
});
