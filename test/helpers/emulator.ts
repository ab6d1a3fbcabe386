/**
 * The AWS API emulator (moto 5.2, `python3 -m moto.server`) for the
 * lifecycle suites (test/e2e/lifecycle-*.test.ts): real `terraform apply`
 * of synthesized stacks, then the emulator's state read back.
 *
 * One emulator per suite, on a free port, behind a thin proxy of ours that
 * - picks the account: a request signed with the static key `ROLECALL<12 digits>`
 *   is that account's (moto's `x-moto-account-id` header); credentials from
 *   AssumeRole map to the role's account inside moto, so member stacks keep
 *   their `assume_role` and every provider keeps `allowed_account_ids`;
 * - answers what moto lacks (GAPS below), each by name, counted, so a test
 *   can say which gap it met; nothing else is changed;
 * - logs every call (service, action, account) for the notes.
 *
 * Terraform runs with one CLI config (filesystem mirror) and a shared
 * plugin cache, so each `init` links the provider instead of copying 700 MB.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PLUGIN_MIRROR, terraformAvailability, terraformEnv } from './terraform';

/**
 * Passes an upstream answer on whole, after `edit` (read or change it), with
 * its content-length set to what is sent: for proxies that look at replies.
 */
export function relayBuffered(up: http.IncomingMessage, res: http.ServerResponse, edit: (reply: Buffer) => Buffer): void {
  const parts: Buffer[] = [];
  up.on('data', (c: Buffer) => parts.push(c));
  up.on('end', () => {
    const reply = edit(Buffer.concat(parts));
    const headers = { ...up.headers, 'content-length': String(reply.length) };
    delete headers['transfer-encoding'];
    res.writeHead(up.statusCode ?? 502, headers);
    res.end(reply);
  });
}

/**
 * APIs moto 5.2 does not implement that rolecall's stacks call, and what the
 * proxy does instead. A test that meets one says so (Emulator.gapsMet).
 */
export const GAPS = {
  /** IAM: not implemented; the provider calls it when destroying a force_destroy user (and would retry forever). */
  ListServiceSpecificCredentials: 'answered with an empty list',
  /**
   * IAM root-credentials management: moto answers HTTP 500, the provider retries for over 14 minutes; its
   * prerequisite, trusted access for IAM (EnableAWSServiceAccess iam.amazonaws.com), moto refuses as an unknown principal.
   */
  EnableOrganizationsRootCredentialsManagement: 'not emulated: the stack is planned, not applied (max_retries keeps the failure short)',
  /** S3: moto evaluates the bucket policy's aws:SecureTransport deny, and the proxy speaks plain HTTP. */
  SecureTransport:
    'moto ignores the condition and denies every object request: the state suite removes that one statement before the apply',
  /** IAM: UpdateUser with NewPath loses the user's tags in moto (AWS keeps them); a later plan re-adds them forever. */
  UpdateUserPathDropsTags: 'hand-made users are created under rolecall user path (/rolecall/), so no apply moves a path',
  /** sso-admin: not implemented (HTTP 500); the provider reads a permission set's tags after every create and refresh. */
  ListTagsForResource: 'answered from the tags the proxy saw in CreatePermissionSet, TagResource and UntagResource (moto keeps none)',
  /** identitystore: not implemented (HTTP 500); the provider reads each membership back by id. */
  DescribeGroupMembership: 'answered from the CreateGroupMembership calls the proxy saw (less DeleteGroupMembership)',
  /**
   * sso-admin: moto finds AWS managed policies by name with path `/` only, so it refuses
   * arn:aws:iam::aws:policy/job-function/NetworkAdministrator; the proxy sends the path-less ARN and
   * puts the path back in ListManagedPoliciesInPermissionSet.
   */
  ManagedPolicyPath: 'attach and detach send moto the ARN without its path; the list answer gets the path back',
  /** sso-admin: not implemented (HTTP 500); the provider waits on it after every policy change of a provisioned permission set. */
  DescribePermissionSetProvisioningStatus: "answered SUCCEEDED for the request ids moto's ProvisionPermissionSet returned",
  /**
   * IAM: moto's DeleteUser removes a user who still has an MFA device (AWS refuses with DeleteConflict), leaving the device.
   */
  DeleteUserWithMfaDevice:
    'not answered: only a stack without force_destroy meets it (the offboarding check then finds the device left behind)',
  /**
   * organizations: moto gives every account CreateAccount makes a random id, so the file's existing
   * member accounts (adopted by id, with import blocks) cannot exist in moto under their ids.
   */
  CreateAccountId:
    "the harness creates each existing account (its name and email) in moto's organization first and points the organization stack's import blocks at the ids moto gave them",
} as const;
export type Gap = keyof typeof GAPS;

export interface Call {
  service: string;
  action: string;
  account?: string;
  status: number;
}

export interface Emulator {
  /** http://127.0.0.1:PORT, the proxy. */
  endpoint: string;
  calls: Call[];
  gapsMet: Set<Gap>;
  /** Work directory: plugin cache, CLI config, GNUPGHOME. */
  dir: string;
  stop(): Promise<void>;
}

export type EmulatorAvailability = { ok: true } | { ok: false; reason: string };

export function emulatorAvailability(): EmulatorAvailability {
  const tf = terraformAvailability();
  if (!tf.ok) return tf;
  try {
    execFileSync('python3', ['-c', 'import moto.server, boto3'], { stdio: 'pipe', timeout: 60000 });
  } catch (e) {
    return { ok: false, reason: `python3 cannot import moto.server and boto3 (${(e as Error).message.split('\n')[0]})` };
  }
  try {
    execFileSync('gpg', ['--version'], { stdio: 'pipe', timeout: 30000 });
  } catch {
    return { ok: false, reason: 'no gpg on PATH (PGP keys for login profiles and access keys)' };
  }
  return { ok: true };
}

/** As terraformOrSkip: a loud warning on a laptop, an exception in CI. */
export function emulatorOrSkip(what: string): boolean {
  const a = emulatorAvailability();
  if (a.ok) return true;
  const message = `${what}: ${a.reason}. The machine image ships moto 5.2 (pip install 'moto[server]==5.2.1' boto3).`;
  if (process.env.CI) throw new Error(`CI is set and ${message}`);
  console.warn(`\n!! SKIPPED ${message}\n!! Nothing was applied.\n`);
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const STATIC_KEY = /Credential=ROLECALL(\d{12})\//;

/** The static credentials the harness gives a provider for `accountId`. */
export function staticCredentials(accountId: string): { access_key: string; secret_key: string } {
  return { access_key: `ROLECALL${accountId}`, secret_key: 'emulator-secret' };
}

function serviceOf(headers: http.IncomingHttpHeaders): string {
  return /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''))?.[1] ?? 'unknown';
}

function actionOf(headers: http.IncomingHttpHeaders, body: string, method: string, url: string): string {
  const target = headers['x-amz-target'];
  if (target) return String(target).split('.').pop()!;
  const m = /(?:^|&)Action=([^&]+)/.exec(body) ?? /[?&]Action=([^&]+)/.exec(url);
  if (m) return decodeURIComponent(m[1]);
  return `${method} ${url.split('?')[0].replace(/\/[^/]+/g, '/*')}${url.includes('?') ? `?${url.split('?')[1].split('=')[0]}` : ''}`;
}

const EMPTY_SSC =
  '<ListServiceSpecificCredentialsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListServiceSpecificCredentialsResult>' +
  '<ServiceSpecificCredentials/></ListServiceSpecificCredentialsResult><ResponseMetadata><RequestId>rolecall</RequestId></ResponseMetadata>' +
  '</ListServiceSpecificCredentialsResponse>';

/* eslint-disable @typescript-eslint/no-explicit-any -- AWS JSON protocol bodies */
/** What the proxy answers for Identity Center where moto 5.2 has nothing (GAPS), from what it saw pass. */
class IdentityCenterGaps {
  private readonly tags = new Map<string, Map<string, string>>();
  private readonly memberships = new Map<string, { GroupId: string; MemberId: unknown; IdentityStoreId: string }>();

  /** ProvisionPermissionSet request id -> its status (moto provisions at once). */
  private readonly provisioning = new Map<string, unknown>();
  /** Managed policy name -> the ARN with its path, as the provider sent it. */
  private readonly pathArns = new Map<string, string>();

  records(call: Call): boolean {
    return ['CreatePermissionSet', 'CreateGroupMembership', 'ListManagedPoliciesInPermissionSet', 'ProvisionPermissionSet'].includes(
      call.action,
    );
  }

  /** A request body to send moto instead of the provider's (ManagedPolicyPath), or undefined. */
  rewrite(call: Call, request: string, gapsMet: Set<Gap>): string | undefined {
    if (call.action !== 'AttachManagedPolicyToPermissionSet' && call.action !== 'DetachManagedPolicyFromPermissionSet') return undefined;
    const req = parse(request);
    const m = /^(arn:[^:]+:iam::aws:policy)\/(.+\/)([^/]+)$/.exec(String(req.ManagedPolicyArn ?? ''));
    if (!m) return undefined;
    gapsMet.add('ManagedPolicyPath');
    this.pathArns.set(m[3], req.ManagedPolicyArn);
    return JSON.stringify({ ...req, ManagedPolicyArn: `${m[1]}/${m[3]}` });
  }

  /** Remembers what a create returned; returns a reply to pass on instead of moto's, or undefined. */
  record(call: Call, request: string, reply: string): string | undefined {
    const req = parse(request);
    const out = parse(reply);
    if (call.action === 'ProvisionPermissionSet' && out.PermissionSetProvisioningStatus?.RequestId) {
      this.provisioning.set(out.PermissionSetProvisioningStatus.RequestId, out.PermissionSetProvisioningStatus);
    }
    if (call.action === 'ListManagedPoliciesInPermissionSet') {
      const policies = (out.AttachedManagedPolicies ?? []).map((p: any) => ({ ...p, Arn: this.pathArns.get(p.Name) ?? p.Arn }));
      return JSON.stringify({ ...out, AttachedManagedPolicies: policies });
    }
    if (call.action === 'CreatePermissionSet' && out.PermissionSet?.PermissionSetArn) {
      this.tags.set(out.PermissionSet.PermissionSetArn, new Map((req.Tags ?? []).map((t: any) => [t.Key, t.Value])));
    }
    if (call.action === 'CreateGroupMembership' && out.MembershipId) {
      this.memberships.set(out.MembershipId, { GroupId: req.GroupId, MemberId: req.MemberId, IdentityStoreId: req.IdentityStoreId });
    }
    return undefined;
  }

  answer(call: Call, request: string, gapsMet: Set<Gap>): { status: number; body: unknown } | undefined {
    const body = this.body(call, request, gapsMet);
    if (body === undefined) return undefined;
    return { status: (body as { __type?: string }).__type ? 400 : 200, body };
  }

  private body(call: Call, request: string, gapsMet: Set<Gap>): unknown {
    const req = () => parse(request);
    switch (call.action) {
      case 'ListTagsForResource': {
        if (call.service !== 'sso') return undefined;
        gapsMet.add('ListTagsForResource');
        const tags = this.tags.get(req().ResourceArn) ?? new Map();
        return { Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) };
      }
      case 'TagResource':
      case 'UntagResource': {
        if (call.service !== 'sso') return undefined;
        gapsMet.add('ListTagsForResource');
        const r = req();
        const tags = this.tags.get(r.ResourceArn) ?? new Map<string, string>();
        for (const t of r.Tags ?? []) tags.set(t.Key, t.Value);
        for (const k of r.TagKeys ?? []) tags.delete(k);
        this.tags.set(r.ResourceArn, tags);
        return {};
      }
      case 'DescribePermissionSetProvisioningStatus': {
        gapsMet.add('DescribePermissionSetProvisioningStatus');
        const status = this.provisioning.get(req().ProvisionPermissionSetRequestId);
        if (!status) return { __type: 'ResourceNotFoundException', Message: 'provisioning request not found' };
        return { PermissionSetProvisioningStatus: { ...(status as object), Status: 'SUCCEEDED' } };
      }
      case 'DescribeGroupMembership': {
        gapsMet.add('DescribeGroupMembership');
        const r = req();
        const m = this.memberships.get(r.MembershipId);
        // Unknown: what AWS says for a membership that is gone (the provider then drops it from state).
        if (!m) return { __type: 'ResourceNotFoundException', Message: 'membership not found' };
        return { ...m, MembershipId: r.MembershipId };
      }
      case 'DeleteGroupMembership':
        this.memberships.delete(req().MembershipId);
        return undefined;
      default:
        return undefined;
    }
  }
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function startEmulator(): Promise<Emulator> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-emulator-'));
  const motoPort = await freePort();
  const moto: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(motoPort)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let motoLog = '';
  moto.stderr!.on('data', (d) => {
    motoLog = (motoLog + String(d)).slice(-20000);
  });
  const calls: Call[] = [];
  const gapsMet = new Set<Gap>();
  const identityCenterGaps = new IdentityCenterGaps();

  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.length < 100000 ? body.toString('utf8') : '';
      const headers = { ...req.headers };
      const account = STATIC_KEY.exec(String(headers.authorization ?? ''))?.[1];
      if (account) headers['x-moto-account-id'] = account;
      const call: Call = { service: serviceOf(headers), action: actionOf(headers, text, req.method!, req.url!), account, status: 0 };
      calls.push(call);
      if (call.action === 'ListServiceSpecificCredentials') {
        gapsMet.add('ListServiceSpecificCredentials');
        call.status = 200;
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(EMPTY_SSC);
        return;
      }
      if (call.action === 'EnableOrganizationsRootCredentialsManagement') gapsMet.add('EnableOrganizationsRootCredentialsManagement');
      const answer = identityCenterGaps.answer(call, text, gapsMet);
      if (answer !== undefined) {
        call.status = answer.status;
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      const rewritten = identityCenterGaps.rewrite(call, text, gapsMet);
      const sent = rewritten === undefined ? body : Buffer.from(rewritten);
      if (rewritten !== undefined) headers['content-length'] = String(sent.length);
      const upstream = http.request({ host: '127.0.0.1', port: motoPort, method: req.method, path: req.url, headers }, (up) => {
        call.status = up.statusCode ?? 0;
        if (!identityCenterGaps.records(call)) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        // A create the gaps answer from later: read its response, remember, then pass it on unchanged.
        relayBuffered(up, res, (reply) => {
          if (call.status !== 200) return reply;
          const changed = identityCenterGaps.record(call, text, reply.toString('utf8'));
          return changed === undefined ? reply : Buffer.from(changed);
        });
      });
      upstream.on('error', (e) => {
        call.status = 502;
        res.writeHead(502);
        res.end(String(e));
      });
      upstream.end(sent);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));

  // Ready when moto answers (it loads ~1,300 managed policies per account lazily).
  const deadline = Date.now() + 60000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const r = http.get({ host: '127.0.0.1', port: motoPort, path: '/moto-api/' }, (res) => {
        res.resume();
        resolve(true);
      });
      r.on('error', () => resolve(false));
    });
    if (ok) break;
    if (moto.exitCode !== null || Date.now() > deadline) {
      proxy.close();
      throw new Error(`moto.server did not start on ${motoPort}:\n${motoLog}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    gapsMet,
    dir,
    async stop() {
      // close() alone waits for keep-alive sockets (the provider keeps some): jest then never exits.
      proxy.close();
      proxy.closeAllConnections();
      if (moto.exitCode === null) {
        const exited = new Promise((r) => moto.once('exit', r));
        moto.kill('SIGTERM');
        // The grace timer is cleared once moto exits: a pending one kept jest alive ("did not exit one second after").
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (grace = setTimeout(r, 5000)))]);
        clearTimeout(grace);
        if (moto.exitCode === null) moto.kill('SIGKILL');
      }
      if (!process.env.ROLECALL_KEEP_E2E) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SERVICES = ['iam', 'sts', 'organizations', 's3', 'ssoadmin', 'identitystore'];

/** The provider arguments that point one provider at the emulator. */
export function providerSettings(em: Emulator, accountId: string): Record<string, unknown> {
  return {
    ...staticCredentials(accountId),
    endpoints: [Object.fromEntries(SERVICES.map((s) => [s, em.endpoint]))],
    s3_use_path_style: true,
    skip_metadata_api_check: 'true',
    skip_region_validation: true,
    // A 500 from an API moto lacks would otherwise be retried for many minutes.
    max_retries: 2,
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- cdk.tf.json: untyped data */

/**
 * Points every provider of a synthesized stack at the emulator, in an
 * override file (emulator_override.tf.json), with static credentials of the
 * account the provider's allowed_account_ids names (the master's for a
 * provider that assumes a role: AssumeRole then moves to the member, as in
 * AWS). An s3 backend gets the emulator's endpoints too.
 */
export function pointAtEmulator(em: Emulator, stackDir: string, masterId: string): void {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const providers = (json.provider?.aws ?? []).map((p: any) => {
    const account = p.assume_role ? masterId : (p.allowed_account_ids?.[0] ?? masterId);
    return { ...(p.alias ? { alias: p.alias } : {}), ...providerSettings(em, account) };
  });
  const override: any = { provider: { aws: providers } };
  const s3 = json.terraform?.backend?.s3;
  if (s3) {
    override.terraform = {
      backend: {
        s3: {
          ...s3,
          ...staticCredentials(masterId),
          endpoints: { s3: em.endpoint, sts: em.endpoint, iam: em.endpoint },
          use_path_style: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          max_retries: 2,
        },
      },
    };
  }
  fs.writeFileSync(path.join(stackDir, 'emulator_override.tf.json'), JSON.stringify(override, null, 2));
}

/** A CLI config with the filesystem mirror and a plugin cache shared by every stack of the suite. */
export function writeEmulatorCliConfig(dir: string): string {
  const cache = path.join(dir, 'plugin-cache');
  fs.mkdirSync(cache, { recursive: true });
  const file = path.join(dir, 'terraform.tfrc');
  fs.writeFileSync(
    file,
    `plugin_cache_dir = ${JSON.stringify(cache)}\nplugin_cache_may_break_dependency_lock_file = true\n` +
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(PLUGIN_MIRROR)}\n  }\n}\n`,
  );
  return file;
}

export interface Run {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** terraform in `dir` with the emulator's CLI config. */
export function tf(em: Emulator, dir: string, args: string[], timeout = 300000): Promise<Run> {
  const env = { ...terraformEnv(), TF_CLI_CONFIG_FILE: path.join(em.dir, 'terraform.tfrc') };
  return new Promise((resolve) => {
    execFile('terraform', args, { cwd: dir, env, maxBuffer: 256 * 1024 * 1024, timeout }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ args, code, stdout, stderr: stderr || (error && !stdout ? String(error) : '') });
    });
  });
}

/** The AWS CLI / boto3 environment for reading the emulator back as `accountId`. */
export function awsEnv(em: Emulator, accountId: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  const c = staticCredentials(accountId);
  return {
    ...env,
    AWS_ACCESS_KEY_ID: c.access_key,
    AWS_SECRET_ACCESS_KEY: c.secret_key,
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: em.endpoint,
    AWS_PAGER: '',
  };
}

/**
 * Runs a boto3 snippet against the emulator as `accountId`; `client(service)`
 * is defined, `out(value)` prints JSON. Returns what it printed, parsed.
 */
export function boto(em: Emulator, accountId: string, code: string): Promise<any> {
  const script = `import boto3, json, sys\nfrom botocore.config import Config\ncfg = Config(retries={"max_attempts": 1})\ndef client(s):\n    return boto3.client(s, config=cfg)\ndef out(v):\n    print(json.dumps(v, default=str))\n${code}\n`;
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      ['-c', script],
      { env: awsEnv(em, accountId), maxBuffer: 64 * 1024 * 1024, timeout: 120000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`boto3 as ${accountId} failed: ${stderr || error.message}\n${code}`));
        else resolve(stdout.trim() ? JSON.parse(stdout.trim().split('\n').pop()!) : undefined);
      },
    );
  });
}

/** A GnuPG key (sign + rsa2048 encryption subkey) in a GNUPGHOME of its own; its public key base64, as pgpKey wants. */
export function gpgKey(
  dir: string,
  uid = 'rolecall-e2e <e2e@rolecall.invalid>',
): { home: string; publicKeyBase64: string; fingerprint: string } {
  const home = path.join(dir, 'gnupg');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: home };
  const gpg = (...args: string[]) =>
    execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { env, stdio: 'pipe', timeout: 120000 });
  gpg('--quick-gen-key', uid, 'rsa2048', 'sign', 'never');
  const listing = execFileSync('gpg', ['--batch', '--with-colons', '--list-keys', uid], { env, encoding: 'utf8', stdio: 'pipe' });
  const fingerprint = /^fpr:+([0-9A-F]+):/m.exec(listing)![1];
  gpg('--quick-add-key', fingerprint, 'rsa2048', 'encr', 'never');
  const publicKeyBase64 = execFileSync('gpg', ['--batch', '--export', fingerprint], { env, stdio: 'pipe' }).toString('base64');
  return { home, publicKeyBase64, fingerprint };
}

/** Decrypts a base64 PGP message (a login profile's encrypted_password) with the harness key. */
export function gpgDecrypt(home: string, base64: string): string {
  return execFileSync('gpg', ['--batch', '--quiet', '--decrypt'], {
    env: { ...process.env, GNUPGHOME: home },
    input: Buffer.from(base64, 'base64'),
    stdio: 'pipe',
  }).toString('utf8');
}
