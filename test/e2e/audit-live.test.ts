/**
 * `rolecall audit`'s live fetch against the AWS API emulator (moto 5.2,
 * `python3 -m moto.server` on a free port): the SDK v3 clients through
 * AWS_ENDPOINT_URL, AssumeRole into every account, every page followed.
 * The estate is what config/org.yaml's plan holds once applied, written
 * into the emulator with IAM calls (test/helpers/snapshots.ts gives it):
 * nothing is found on it; then the drift the issue plants by hand (a shadow
 * admin role trusting another account, a legacy admin user in the identity
 * account, a policy attached to a rolecall role, a user added to a group),
 * each found, live and from the snapshots the fetch saves. Import: the
 * estate fetched, imported, gives config/org.yaml's matrix.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { runCli } from '../helpers/cli';
import { compileOrgFile, compileOrgText } from '../../src/plan/compile';
import type { AuditReport } from '../../src/audit/report';
import { snapshotsFromPlan, type Json } from '../helpers/snapshots';

const ROOT = path.join(__dirname, '..', '..');
const CONFIG = path.join(ROOT, 'config', 'org.yaml');
const hasMoto = spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore', timeout: 60000 }).status === 0;
if (!hasMoto && process.env.CI) throw new Error('CI is set and python3 cannot import moto.server (pip install "moto[server]==5.2.1")');
const run = hasMoto ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const AWS = { AWS_ACCESS_KEY_ID: 'AKIAEMULATOR00000000', AWS_SECRET_ACCESS_KEY: 'emulator', AWS_REGION: 'eu-west-1' };

async function withAws<T>(endpoint: string, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, AWS, { AWS_ENDPOINT_URL: endpoint });
  try {
    return await work();
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

/** An IAM client in `accountId`: moto maps AssumeRole's credentials to the role's account. */
async function iamIn(endpoint: string, accountId: string): Promise<IAMClient> {
  const base = {
    region: 'eu-west-1',
    endpoint,
    credentials: { accessKeyId: AWS.AWS_ACCESS_KEY_ID, secretAccessKey: AWS.AWS_SECRET_ACCESS_KEY },
  };
  const sts = new STSClient(base);
  const c = (
    await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'setup' }),
    )
  ).Credentials!;
  return new IAMClient({
    ...base,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
  });
}

const text = (doc: unknown) => (typeof doc === 'string' ? decodeURIComponent(doc) : JSON.stringify(doc));

/** Writes one account's snapshot (what the plan holds) into the emulator with IAM calls. */
async function applySnapshot(iam: IAMClient, snap: Json): Promise<void> {
  for (const p of snap.Policies as Json[]) {
    if (String(p.Arn).startsWith('arn:aws:iam::aws:')) continue;
    const version = (p.PolicyVersionList as Json[])[0];
    await iam.send(
      new CreatePolicyCommand({ PolicyName: String(p.PolicyName), Path: String(p.Path), PolicyDocument: text(version.Document) }),
    );
  }
  for (const g of snap.GroupDetailList as Json[]) {
    await iam.send(new CreateGroupCommand({ GroupName: String(g.GroupName), Path: String(g.Path) }));
    for (const a of g.AttachedManagedPolicies as Json[])
      await iam.send(new AttachGroupPolicyCommand({ GroupName: String(g.GroupName), PolicyArn: String(a.PolicyArn) }));
  }
  for (const u of snap.UserDetailList as Json[]) {
    await iam.send(new CreateUserCommand({ UserName: String(u.UserName), Path: String(u.Path), Tags: u.Tags as never }));
    for (const g of u.GroupList as string[]) await iam.send(new AddUserToGroupCommand({ UserName: String(u.UserName), GroupName: g }));
  }
  for (const r of snap.RoleDetailList as Json[]) {
    if (String(r.Path).startsWith('/aws-service-role/')) continue;
    const name = String(r.RoleName);
    await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        Path: String(r.Path),
        AssumeRolePolicyDocument: text(r.AssumeRolePolicyDocument),
        ...(r.MaxSessionDuration ? { MaxSessionDuration: Number(r.MaxSessionDuration) } : {}),
      }),
    );
    for (const p of r.RolePolicyList as Json[])
      await iam.send(
        new PutRolePolicyCommand({ RoleName: name, PolicyName: String(p.PolicyName), PolicyDocument: text(p.PolicyDocument) }),
      );
    for (const a of r.AttachedManagedPolicies as Json[])
      await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: String(a.PolicyArn) }));
  }
}

function codes(report: AuditReport | undefined): string[] {
  return (report?.findings ?? []).map((f) => `${f.code} ${f.account} ${f.principal}`).sort();
}

run('audit: the live fetch against the emulator (config/org.yaml’s estate)', () => {
  let moto: ChildProcess;
  let endpoint: string;
  let tmp: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-audit-live-'));
    const port = await freePort();
    moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
      stdio: 'ignore',
    });
    endpoint = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      const up = await fetch(`${endpoint}/moto-api/`).then(
        () => true,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const compiled = compileOrgFile(CONFIG);
    if (!compiled.ok) throw new Error('config/org.yaml must compile');
    const set = snapshotsFromPlan(compiled.model, compiled.plan);
    for (const [name, snap] of Object.entries(set.accounts)) {
      ids[name] = compiled.model.org.accounts[name].id!;
      await applySnapshot(await iamIn(endpoint, ids[name]), snap);
    }
    // Console passwords and access keys where the file asks for them (the stacks create them, encrypted).
    const iam = await iamIn(endpoint, ids.master);
    for (const u of compiled.plan.stacks.flatMap((st) => st.users)) {
      if (u.loginProfile)
        await iam.send(new CreateLoginProfileCommand({ UserName: u.name, Password: 'Emulator-Passw0rd!x', PasswordResetRequired: true }));
      if (u.accessKey) await iam.send(new CreateAccessKeyCommand({ UserName: u.name }));
    }
  }, 600000);
  afterAll(() => {
    moto?.kill('SIGTERM');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const audit = (args: string[]) =>
    withAws(endpoint, async () => {
      const r = await runCli(['audit', '--config', CONFIG, '--format', 'json', ...args]);
      return { ...r, report: r.out.trim().startsWith('{') ? (JSON.parse(r.out) as AuditReport) : undefined };
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

  it('import round trip: the fetched estate, imported, gives config/org.yaml’s matrix (pipelines aside: not IAM)', async () => {
    const draftFile = path.join(tmp, 'imported.yaml');
    const imported = await runCli(['import', '--from', path.join(tmp, 'clean'), '--out', draftFile]);
    expect(imported.code).toBe(0);
    const draft = compileOrgFile(draftFile);
    const data = parse(fs.readFileSync(CONFIG, 'utf8')) as Record<string, unknown>;
    delete data.pipelines;
    const original = compileOrgText(stringify(data), 'org.yaml');
    expect(draft.ok && original.ok).toBe(true);
    if (!draft.ok || !original.ok) return;
    const cells = (c: typeof draft) =>
      c.matrix.people.flatMap((p) => c.matrix.accounts.map((a) => `${p.name} ${a.name} ${c.matrix.cell(p.name, a.name).level}`));
    expect(cells(draft)).toEqual(cells(original));
  }, 120000);

  it('planted drift: each found, live and from the saved snapshots', async () => {
    const production = await iamIn(endpoint, ids.production);
    await production.send(
      new CreateRoleCommand({
        RoleName: 'legacy-ops',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await production.send(
      new AttachRolePolicyCommand({ RoleName: 'legacy-ops', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
    await production.send(new AttachRolePolicyCommand({ RoleName: 'network', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));
    const master = await iamIn(endpoint, ids.master);
    await master.send(new CreateUserCommand({ UserName: 'legacy-admin' }));
    await master.send(new AttachUserPolicyCommand({ UserName: 'legacy-admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await master.send(new AddUserToGroupCommand({ UserName: 'dave', GroupName: 'operations' }));

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
});
