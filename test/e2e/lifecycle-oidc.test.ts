/**
 * Lifecycle, dynamic credentials (deploy.credentials: tfc-dynamic): each
 * workspace applied as its own apply role, reached by
 * AssumeRoleWithWebIdentity, as HCP Terraform does, against the emulator
 * (test/helpers/emulator.ts), with allowed_account_ids kept.
 *
 * config/org-cloud.yaml: its bootstrap stack is applied with the admin's
 * keys (per account the HCP Terraform OIDC provider and each workspace's
 * plan and apply roles; only in the two accounts below, with -target:
 * test/e2e/lifecycle-create.test.ts applies it whole). Then master (the identity stack) and
 * account-production are applied with a provider override that has no keys
 * at all, only `assume_role_with_web_identity { role_arn = <the stack's
 * apply role>, web_identity_token = <a token for that workspace's apply
 * phase> }`, and planned again as their plan role (the plan phase's
 * credentials): that plan must be empty (-detailed-exitcode 0), and boto3
 * reads back what the apply made. A recorder in front of the emulator
 * (below) sees every request: each was signed with keys an
 * AssumeRoleWithWebIdentity of the expected role returned, none with the
 * admin's static keys. And allowed_account_ids holds under web identity:
 * account-production given master's apply role is refused (exit 1, "AWS
 * account ID not allowed") before any change.
 *
 * Emulator gaps met, and what the test does instead (GAPS_MET below):
 * - WebIdentityNotVerified: moto's AssumeRoleWithWebIdentity checks neither
 *   the token (signature, issuer, expiry) nor the role's trust policy, nor
 *   that the role exists (moto/sts/models.py: "the role does not need to
 *   exist"). The tokens here are unsigned JWTs with HCP Terraform's claims;
 *   the test reads each role's trust and the account's OIDC providers back
 *   from the emulator and evaluates them against the token's claims itself
 *   (trustAdmits), and shows that check refusing the other phase's token and
 *   another workspace's.
 * - PermissionsNotEvaluated: moto does not evaluate IAM policies (the plan
 *   role's read-only policy, the apply role's scope): an apply here proves
 *   the credentials path, not that the apply role's policy suffices; that is
 *   test/deploy/simulate.test.ts's (the IAM policy simulator).
 * - HCP Terraform itself is not emulated: the harness drops the cloud block
 *   (state local), and the provider gets the role and token in an override
 *   rather than from HCP's TFC_AWS_* variables.
 * Cost: 9 terraform commands (bootstrap init + apply; per stack init, apply,
 * plan; one refused plan), two stacks at a time.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { emulatorOrSkip, relayBuffered } from '../helpers/emulator';
import { configText, Estate, notConverged } from '../helpers/lifecycle';
import { mapLimit } from '../helpers/terraform';
import type { DeployRolePlan, PolicyDocument, RunPhase } from '../../src/plan/types';

const run = emulatorOrSkip('lifecycle OIDC suite') ? describe : describe.skip;

/** What the emulator does not do here, and what the test does instead (see the header). */
const GAPS_MET = {
  WebIdentityNotVerified:
    "moto's AssumeRoleWithWebIdentity verifies no token, trust or role: the test evaluates each role's trust (read back) against the token's claims",
  PermissionsNotEvaluated: "moto evaluates no IAM policy: the plan and apply roles' policies are test/deploy/simulate.test.ts's",
} as const;

const STACKS = ['master', 'account-production'];
const HCP = 'app.terraform.io';

/** One request the recorder passed on. */
interface Seen {
  action: string;
  /** The access key id that signed it; undefined for an unsigned call (AssumeRoleWithWebIdentity). */
  keyId?: string;
  roleArn?: string;
  token?: string;
  /** For AssumeRoleWithWebIdentity: the access key id of the credentials returned. */
  issued?: string;
  status: number;
}

interface Recorder {
  url: string;
  seen: Seen[];
  close(): void;
}

/** An HTTP pass-through to `upstream` that records each request's action, signer and, for web identity, role, token and issued key. */
async function startRecorder(upstream: string): Promise<Recorder> {
  const target = new URL(upstream);
  const seen: Seen[] = [];
  // Its own agent, without keep-alive, destroyed on close: no socket outlives the suite.
  const agent = new http.Agent({ keepAlive: false });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.length < 100000 ? body.toString('utf8') : '');
      const target_ = req.headers['x-amz-target'];
      const entry: Seen = {
        action: target_ ? String(target_).split('.').pop()! : (form.get('Action') ?? `${req.method} ${req.url}`),
        keyId: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1],
        status: 0,
      };
      if (entry.action === 'AssumeRoleWithWebIdentity') {
        entry.roleArn = form.get('RoleArn') ?? undefined;
        entry.token = form.get('WebIdentityToken') ?? undefined;
      }
      seen.push(entry);
      const up = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
        (answer) => {
          entry.status = answer.statusCode ?? 0;
          relayBuffered(answer, res, (reply) => {
            if (entry.action === 'AssumeRoleWithWebIdentity')
              entry.issued = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(reply.toString('utf8'))?.[1];
            return reply;
          });
        },
      );
      up.on('error', (e) => {
        entry.status = 502;
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    seen,
    close() {
      server.close();
      server.closeAllConnections();
      agent.destroy();
    },
  };
}

/** HCP Terraform's workload identity token for a workspace's run phase, unsigned (moto verifies nothing: WebIdentityNotVerified). */
function fakeToken(organization: string, project: string, workspace: string, phase: RunPhase): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${HCP}`,
    aud: 'aws.workload.identity',
    sub: `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`,
    terraform_organization_name: organization,
    terraform_project_name: project,
    terraform_workspace_name: workspace,
    terraform_run_phase: phase,
    iat: now,
    nbf: now,
    exp: now + 3600,
  };
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'rolecall-e2e-unsigned' })}.${part(claims)}.${Buffer.from('unsigned').toString('base64url')}`;
}

function claimsOf(token: string): Record<string, string> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/**
 * What AWS would decide for AssumeRoleWithWebIdentity with `token`, from the
 * role's trust and the account's OIDC providers as the emulator holds them:
 * a statement allowing the action to a provider of the token's issuer that
 * lists its audience, every condition met. A condition this check does not
 * know fails it (never a silent pass).
 */
function trustAdmits(trust: PolicyDocument, providers: Array<{ arn: string; url: string; clientIds: string[] }>, token: string): boolean {
  const claims = claimsOf(token);
  const issuer = claims.iss.replace(/^https:\/\//, '');
  return trust.Statement.some((s) => {
    const actions = typeof s.Action === 'string' ? [s.Action] : (s.Action ?? []);
    if (s.Effect !== 'Allow' || !actions.includes('sts:AssumeRoleWithWebIdentity')) return false;
    const federated = s.Principal !== undefined && s.Principal !== '*' ? s.Principal.Federated : undefined;
    const provider = providers.find((p) => p.arn === federated);
    if (!provider || provider.url.replace(/^https:\/\//, '') !== issuer || !provider.clientIds.includes(claims.aud)) return false;
    return Object.entries(s.Condition ?? {}).every(([operator, keys]) => {
      if (operator !== 'StringEquals') throw new Error(`trustAdmits: condition operator ${operator} is not checked here`);
      return Object.entries(keys).every(([key, want]) => {
        const claim = key.startsWith(`${issuer}:`) ? claims[key.slice(issuer.length + 1)] : undefined;
        return claim !== undefined && (Array.isArray(want) ? want : [want]).map(String).includes(claim);
      });
    });
  });
}

/**
 * The stack's emulator override with the provider's keys removed and web
 * identity instead: `role`'s ARN and a token for its workspace and phase;
 * every endpoint through the recorder. allowed_account_ids stays in
 * cdk.tf.json (asserted).
 */
function useWebIdentity(estate: Estate, recorder: Recorder, stack: string, role: DeployRolePlan, token: string, own = true): void {
  const cdk = JSON.parse(fs.readFileSync(path.join(estate.dir(stack), 'cdk.tf.json'), 'utf8'));
  expect([stack, cdk.provider.aws.length, cdk.provider.aws[0].allowed_account_ids, cdk.provider.aws[0].assume_role]).toEqual([
    stack,
    1,
    own ? [role.arn.split(':')[4]] : expect.not.arrayContaining([role.arn.split(':')[4]]),
    undefined,
  ]);
  const file = path.join(estate.dir(stack), 'emulator_override.tf.json');
  const override = JSON.parse(fs.readFileSync(file, 'utf8'));
  const [provider] = override.provider.aws;
  delete provider.access_key;
  delete provider.secret_key;
  provider.endpoints = [Object.fromEntries(Object.keys(provider.endpoints[0]).map((s) => [s, recorder.url]))];
  provider.assume_role_with_web_identity = [{ role_arn: role.arn, web_identity_token: token, session_name: `rolecall-e2e-${role.phase}` }];
  fs.writeFileSync(file, JSON.stringify(override, null, 2));
}

run('lifecycle: each workspace applied as its apply role (AssumeRoleWithWebIdentity)', () => {
  let estate: Estate;
  let recorder: Recorder;
  beforeAll(async () => {
    estate = await Estate.start();
    recorder = await startRecorder(estate.em.endpoint);
  });
  afterAll(async () => {
    recorder?.close();
    await estate?.stop();
  });

  it(`org-cloud.yaml: bootstrap with the admin's keys; master and account-production applied as their apply role, planned empty as their plan role (gaps: ${Object.keys(GAPS_MET).join(', ')})`, async () => {
    estate.synth(configText('org-cloud.yaml'));
    expect(estate.plan.deploy.credentials).toBe('tfc-dynamic');
    expect(estate.stackIds()).toEqual(expect.arrayContaining([...STACKS, 'bootstrap']));
    const bootstrap = estate.plan.bootstrapStack!;
    const roleOf = (stack: string, phase: RunPhase) =>
      bootstrap.accounts.flatMap((a) => a.roles).find((r) => r.stack === stack && r.phase === phase)!;
    // The token HCP Terraform would give the workspace's run phase, from the workspace the plan names for the stack.
    const token = (stack: string, phase: RunPhase) => {
      const cloud = estate.plan.deploy.workspaces.find((w) => w.stack === stack)!.cloud!;
      return fakeToken(cloud.organization, cloud.project, cloud.workspace, phase);
    };

    // 1. The bootstrap, with the admin's keys (as docs/credentials.md has it applied once): its resources in the two
    // stacks' accounts only (-target: each provider alias is a provider process per walk, ~4 CPU-s each; test/e2e/
    // lifecycle-create.test.ts applies this bootstrap whole and plans it empty).
    const accounts = STACKS.map((id) => estate.plan.stacks.find((s) => s.id === id)!.account.name);
    const bootJson = JSON.parse(fs.readFileSync(path.join(estate.dir('bootstrap'), 'cdk.tf.json'), 'utf8'));
    const targets = Object.entries<Record<string, { provider?: string }>>(bootJson.resource).flatMap(([type, resources]) =>
      Object.entries(resources)
        .filter(([, r]) => accounts.some((a) => r.provider === `aws.${a}`))
        .map(([name]) => `-target=${type}.${name}`),
    );
    const perAccount = bootstrap.accounts.filter((a) => accounts.includes(a.key));
    expect(targets).toHaveLength(perAccount.reduce((n, a) => n + (a.oidcProvider ? 1 : 0) + 2 * a.roles.length, 0));
    const boot = await estate.tf('bootstrap', ['apply', '-auto-approve', '-input=false', '-no-color', ...targets]);
    expect([boot.code, boot.code ? boot.stderr.slice(-3000) : '']).toEqual([0, '']);

    // What AWS would check at AssumeRoleWithWebIdentity, from what the emulator now holds (WebIdentityNotVerified).
    for (const stack of STACKS) {
      const apply = roleOf(stack, 'apply');
      const held = await estate.boto(
        apply.arn.split(':')[4],
        `iam = client("iam")
providers = []
for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]:
    d = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=p["Arn"])
    providers.append({"arn": p["Arn"], "url": d["Url"], "clientIds": d["ClientIDList"]})
out({"providers": providers, "trust": {r: iam.get_role(RoleName=r)["Role"]["AssumeRolePolicyDocument"] for r in ${JSON.stringify([apply.name, roleOf(stack, 'plan').name])}}})`,
      );
      const admits = (role: DeployRolePlan, t: string) => trustAdmits(held.trust[role.name], held.providers, t);
      const other = STACKS.find((s) => s !== stack)!;
      expect({
        stack,
        applyRoleAdmitsApplyToken: admits(apply, token(stack, 'apply')),
        applyRoleAdmitsPlanToken: admits(apply, token(stack, 'plan')),
        applyRoleAdmitsOtherWorkspace: admits(apply, token(other, 'apply')),
        planRoleAdmitsPlanToken: admits(roleOf(stack, 'plan'), token(stack, 'plan')),
      }).toEqual({
        stack,
        applyRoleAdmitsApplyToken: true,
        applyRoleAdmitsPlanToken: false,
        applyRoleAdmitsOtherWorkspace: false,
        planRoleAdmitsPlanToken: true,
      });
    }

    // 2. Each stack applied as its apply role, then planned again as its plan role: empty.
    const applyFrom = recorder.seen.length;
    await mapLimit(STACKS, 2, async (stack) => {
      useWebIdentity(estate, recorder, stack, roleOf(stack, 'apply'), token(stack, 'apply'));
      const applied = await estate.tf(stack, ['apply', '-auto-approve', '-input=false', '-no-color']);
      expect([stack, applied.code, applied.code ? applied.stderr.slice(-3000) : '']).toEqual([stack, 0, '']);
    });
    const planFrom = recorder.seen.length;
    const seconds = await mapLimit(STACKS, 2, async (stack) => {
      useWebIdentity(estate, recorder, stack, roleOf(stack, 'plan'), token(stack, 'plan'));
      return notConverged(stack, await estate.planStack(stack));
    });
    expect(seconds).toEqual(STACKS.map(() => undefined));

    // allowed_account_ids holds under web identity: account-production given master's apply role is refused before any change.
    const crossed = recorder.seen.length;
    const production = STACKS[1];
    useWebIdentity(estate, recorder, production, roleOf(STACKS[0], 'apply'), token(STACKS[0], 'apply'), false);
    const refused = await estate.tf(production, ['plan', '-input=false', '-no-color', '-refresh=false']);
    expect([refused.code, /AWS account ID not allowed: 111111111111/.test(refused.stderr)]).toEqual([1, true]);
    expect(recorder.seen.slice(crossed).filter((s) => /^(Create|Put|Attach|Add|Tag|Update|Delete)/.test(s.action))).toEqual([]);

    // Every request was signed with keys a web identity of the phase's role returned; none with static keys.
    const signers = (from: number, to: number) => {
      const window = recorder.seen.slice(from, to);
      const roleByKey = new Map(window.filter((s) => s.issued).map((s) => [s.issued!, s.roleArn!]));
      const signed = window.filter((s) => s.keyId !== undefined);
      return {
        assumed: [...new Set(window.filter((s) => s.action === 'AssumeRoleWithWebIdentity').map((s) => `${s.roleArn} ${s.status}`))].sort(),
        tokens: window.filter((s) => s.action === 'AssumeRoleWithWebIdentity').every((s) => s.token?.split('.').length === 3),
        unknownSigners: [...new Set(signed.filter((s) => !roleByKey.has(s.keyId!)).map((s) => s.keyId))],
        writers: [
          ...new Set(signed.filter((s) => /^(Create|Put|Attach|Add|Tag|Update)/.test(s.action)).map((s) => roleByKey.get(s.keyId!))),
        ].sort(),
        failed: window
          .filter((s) => s.status >= 400 && s.action !== 'GetRole' && s.action !== 'GetUser')
          .map((s) => `${s.action} ${s.status}`),
      };
    };
    const arns = (phase: RunPhase) => STACKS.map((s) => roleOf(s, phase).arn).sort();
    expect(signers(applyFrom, planFrom)).toEqual({
      assumed: arns('apply').map((a) => `${a} 200`),
      tokens: true,
      unknownSigners: [],
      writers: arns('apply'),
      failed: [],
    });
    expect(signers(planFrom, crossed)).toEqual({
      assumed: arns('plan').map((a) => `${a} 200`),
      tokens: true,
      unknownSigners: [],
      writers: [],
      failed: [],
    });
    // No request in either window reached the emulator with the admin's static keys.
    expect(recorder.seen.slice(applyFrom).filter((s) => s.keyId?.startsWith('ROLECALL'))).toEqual([]);

    // 3. What the applies made, read back with the admin's keys.
    for (const stack of STACKS) {
      const s = estate.plan.stacks.find((x) => x.id === stack)!;
      const held = await estate.boto(
        s.account.id,
        `iam = client("iam")
roles = {}
for name in ${JSON.stringify(s.roles.map((r) => r.name))}:
    r = iam.get_role(RoleName=name)["Role"]
    roles[name] = {"trust": r["AssumeRolePolicyDocument"],
        "managed": sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]),
        "inline": sorted(iam.list_role_policies(RoleName=name)["PolicyNames"])}
out({"roles": roles,
     "users": sorted(u["UserName"] for u in iam.list_users()["Users"]),
     "groups": sorted(g["GroupName"] for g in iam.list_groups()["Groups"])})`,
      );
      expect({ stack, ...held }).toEqual({
        stack,
        roles: Object.fromEntries(
          s.roles.map((r) => [
            r.name,
            { trust: r.trustPolicy, managed: [...r.managedPolicyArns].sort(), inline: r.inlinePolicies.map((p) => p.name).sort() },
          ]),
        ),
        users: s.users.map((u) => u.name).sort(),
        groups: s.groups.map((g) => g.name).sort(),
      });
    }
  }, 1800000);
});
