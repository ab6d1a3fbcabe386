/**
 * Lifecycle 1, create: every stack of every config/*.yaml applies against
 * the emulator (test/helpers/emulator.ts) in the order docs/getting-started.md
 * gives (bootstrap first for S3 and HCP Terraform, then organization,
 * identity, management, members), and the second plan of each is empty
 * (notConverged). What IAM and Organizations then hold is read back.
 *
 * Each organisation's estate is applied once: config/org.yaml,
 * org-managed.yaml, org-s3.yaml and org-cloud.yaml are one organisation
 * (acme) whose stacks are the same but for the organization stack, the
 * backend and the bootstrap stack. So:
 * - org-managed.yaml is applied whole (organization, master, members), and
 *   org.yaml's stacks are asserted to be those, byte for byte;
 * - org-s3.yaml: its bootstrap stack applies (the state bucket), each
 *   stack's state is pushed to its key there through the S3 backend (and
 *   its lock), and master, now on the S3 backend, plans empty; the stacks
 *   are acme's but for the backend block (asserted);
 * - org-cloud.yaml: its bootstrap stack applies (per account the HCP
 *   Terraform OIDC provider and each workspace's plan and apply roles); its
 *   stacks are acme's but for the cloud block and, in members, the
 *   provider's assume_role (dynamic credentials instead), asserted. HCP
 *   Terraform is not emulated and the harness gives every provider static
 *   keys, so planning them again would prove nothing more.
 * - org-large-company.yaml (globex: identity account apart) is applied whole.
 * - org-identity-center.yaml is test/e2e/identity-center-apply.test.ts's
 *   (its one stack, master, on moto's Identity Center).
 * A last case shows the suite's check red: hand-made drift on an applied
 * stack makes notConverged fail.
 *
 * Emulator gaps met (emulator.ts GAPS): EnableOrganizationsRootCredentialsManagement
 * (the organization stack's aws_iam_organizations_features is asserted
 * synthesized, then left out), CreateAccountId (existing accounts get moto's ids),
 * SecureTransport (the state bucket's TLS-only deny is left out).
 * Not shown: each workspace's apply role reached by AssumeRoleWithWebIdentity
 * (the stacks run on static per-account keys), HCP Terraform itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { emulatorOrSkip, GAPS, type Gap } from '../helpers/emulator';
import { CONFIG_DIR, configText, Estate, notConverged, withoutSecureTransportDeny, type StackPlan } from '../helpers/lifecycle';
import { mapLimit } from '../helpers/terraform';

const run = emulatorOrSkip('lifecycle create suite') ? describe : describe.skip;

/** Where each config file is applied: a new file fails the first case until it is applied somewhere. */
const APPLIED: Record<string, string> = {
  'org.yaml': 'here: its stacks are org-managed.yaml less the organization stack, byte for byte',
  'org-managed.yaml': 'here, whole',
  'org-s3.yaml': 'here: bootstrap applied, every stack on the S3 backend',
  'org-cloud.yaml': 'here: bootstrap applied, every stack planned with its HCP Terraform providers',
  'org-large-company.yaml': 'here, whole',
  'org-identity-center.yaml': 'test/e2e/identity-center-apply.test.ts',
};

/**
 * An organisation as rolecall's organization stack expects it (docs/organization.md,
 * one-time prerequisites), made in moto by the management account: all features,
 * SCP and RCP policy types on the root, and every member
 * account the file adopts by id (GAPS.CreateAccountId: under moto's ids). Returns
 * the org file with moto's organization and root ids, and the edit that points
 * the import blocks at moto's account ids and leaves out root-credentials
 * management (GAPS.EnableOrganizationsRootCredentialsManagement) after asserting it.
 * Trusted access for IAM, its prerequisite, is not enabled: moto refuses the
 * service principal iam.amazonaws.com (part of the same gap).
 */
async function prepareOrganization(
  estate: Estate,
  text: string,
): Promise<{ text: string; edit: (dir: string, stack: string) => void; accountIds: Record<string, string> }> {
  const plan = estate.synth(text).organizationStack!;
  const existing = plan.accounts.filter((a) => a.importId !== undefined);
  const made = await estate.boto(
    plan.account.id,
    `o = client("organizations")
org = o.create_organization(FeatureSet="ALL")["Organization"]
root = o.list_roots()["Roots"][0]["Id"]
for t in ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]:
    o.enable_policy_type(RootId=root, PolicyType=t)
ids = {}
for a in ${JSON.stringify(existing.map((a) => ({ id: a.importId, name: a.name, email: a.email })))}:
    ids[a["id"]] = o.create_account(Email=a["email"], AccountName=a["name"])["CreateAccountStatus"]["AccountId"]
out({"org": org["Id"], "root": root, "ids": ids})`,
  );
  const replaced = text.replace(plan.organizationId, made.org).replace(plan.rootId, made.root);
  expect(replaced.includes(made.org) && replaced.includes(made.root)).toBe(true);
  const edit = (dir: string, stack: string) => {
    if (stack !== 'organization') return;
    const file = path.join(dir, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(json.resource.aws_iam_organizations_features ?? {})).toEqual(['root-credentials']);
    delete json.resource.aws_iam_organizations_features;
    estate.em.gapsMet.add('EnableOrganizationsRootCredentialsManagement');
    for (const block of json.import ?? []) {
      expect(made.ids[block.id]).toBeDefined();
      block.id = made.ids[block.id];
    }
    estate.em.gapsMet.add('CreateAccountId');
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  };
  return { text: replaced, edit, accountIds: made.ids };
}

/** Every stack's second plan that is not empty, with its changes (expected: none). */
function unconverged(plans: Record<string, { second: StackPlan }>): string[] {
  return Object.entries(plans).flatMap(([stack, p]) => notConverged(stack, p.second) ?? []);
}

/** Every destroy in the stacks' first plans (a create destroys nothing). */
function destroys(plans: Record<string, { first: StackPlan }>): string[] {
  return Object.entries(plans).flatMap(([stack, p]) =>
    Object.entries(p.first.changes)
      .filter(([, a]) => a.includes('delete') || a === 'forget')
      .map(([addr, a]) => `${stack}: ${a} ${addr}`),
  );
}

/** IAM as the plan says, account by account: users, groups and roles rolecall made (moto's own role aside). */
async function expectIamAsPlanned(estate: Estate): Promise<void> {
  const byAccount = new Map<string, { users: string[]; groups: string[]; roles: string[] }>();
  for (const s of estate.plan.stacks) {
    const a = byAccount.get(s.account.id) ?? { users: [], groups: [], roles: [] };
    a.users.push(...s.users.map((u) => u.name));
    a.groups.push(...s.groups.map((g) => g.name));
    a.roles.push(...s.roles.map((r) => r.name));
    byAccount.set(s.account.id, a);
  }
  const extraRoles = new Set([
    'OrganizationAccountAccessRole',
    ...(estate.plan.bootstrapStack?.accounts.flatMap((a) => a.roles.map((r) => r.name)) ?? []),
  ]);
  await mapLimit([...byAccount], 2, async ([account, want]) => {
    const held = await estate.boto(
      account,
      `iam = client("iam")
out({"users": sorted(u["UserName"] for u in iam.list_users(MaxItems=1000)["Users"]),
     "groups": sorted(g["GroupName"] for g in iam.list_groups(MaxItems=1000)["Groups"]),
     "roles": sorted(r["RoleName"] for r in iam.list_roles(MaxItems=1000)["Roles"])})`,
    );
    expect({ account, ...held, roles: held.roles.filter((r: string) => !extraRoles.has(r)) }).toEqual({
      account,
      users: [...new Set(want.users)].sort(),
      groups: [...new Set(want.groups)].sort(),
      roles: [...new Set(want.roles)].sort(),
    });
  });
}

/** Organizations as the organization stack says: each account under its OU, each policy on its targets. */
async function expectOrganizationAsPlanned(estate: Estate, accountIds: Record<string, string>): Promise<void> {
  const plan = estate.plan.organizationStack!;
  const held = await estate.boto(
    plan.account.id,
    `o = client("organizations")
ous = {}
def walk(parent, prefix):
    for u in o.list_organizational_units_for_parent(ParentId=parent)["OrganizationalUnits"]:
        ous[u["Id"]] = prefix + u["Name"]
        walk(u["Id"], prefix + u["Name"] + "/")
walk(o.list_roots()["Roots"][0]["Id"], "")
accounts = {}
for a in o.list_accounts()["Accounts"]:
    parent = o.list_parents(ChildId=a["Id"])["Parents"][0]
    accounts[a["Name"]] = {"ou": ous.get(parent["Id"], "root"),
        "policies": sorted(p["Name"] for t in ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"] for p in o.list_policies_for_target(TargetId=a["Id"], Filter=t)["Policies"] if not p["AwsManaged"])}
out({"ous": sorted(ous.values()), "accounts": accounts})`,
  );
  expect(held.ous).toEqual(plan.organizationalUnits.map((u) => u.key).sort());
  for (const a of plan.accounts) {
    expect({ account: a.key, ...held.accounts[a.name] }).toEqual({
      account: a.key,
      ou: a.parentKey ?? 'root',
      policies: plan.policies
        .filter((p) => p.targets.includes(a.key))
        .map((p) => p.name)
        .sort(),
    });
  }
  // Adopted accounts kept their (moto) ids: imported, not created again.
  const ids = await estate.boto(plan.account.id, `out(sorted(a["Id"] for a in client("organizations").list_accounts()["Accounts"]))`);
  expect(ids).toEqual(expect.arrayContaining(Object.values(accountIds)));
}

run('lifecycle: create', () => {
  let estate: Estate;
  /** The acme estate (org-managed.yaml), applied once; the S3 and HCP Terraform cases build on it. */
  let acme: Estate;
  const members = (e: Estate) => e.plan.stacks.filter((s) => s.kind === 'account').map((s) => s.id);
  beforeAll(async () => {
    estate = await Estate.start();
  });
  afterAll(() => estate?.stop());

  it('every config/*.yaml is applied: here, or by the suite named', () => {
    expect(
      fs
        .readdirSync(CONFIG_DIR)
        .filter((f) => f.endsWith('.yaml'))
        .sort(),
    ).toEqual(Object.keys(APPLIED).sort());
    expect(fs.existsSync(path.join(__dirname, 'identity-center-apply.test.ts'))).toBe(true);
  });

  it(`org-managed.yaml (org.yaml and its organization stack): organization, master, members apply; every second plan is empty (gaps: ${GAPS.CreateAccountId})`, async () => {
    acme = estate.view('acme');
    const org = await prepareOrganization(acme, configText('org-managed.yaml'));
    acme.synth(org.text, org.edit);
    const accounts = members(acme);
    expect(acme.stackIds()).toEqual(['master', ...accounts, 'organization']);
    // org.yaml's stacks are these, byte for byte: applied here, once.
    const plain = estate.view('acme-plain');
    plain.synth(configText('org.yaml'));
    expect(plain.stackIds()).toEqual(['master', ...accounts]);
    for (const id of plain.stackIds()) {
      expect([id, fs.readFileSync(path.join(plain.dir(id), 'cdk.tf.json'), 'utf8')]).toEqual([
        id,
        fs.readFileSync(path.join(acme.dir(id), 'cdk.tf.json'), 'utf8'),
      ]);
    }

    const plans = await acme.applyInOrder([['organization'], ['master'], accounts]);
    expect(unconverged(plans)).toEqual([]);
    expect(destroys(plans)).toEqual([]);
    // The organization stack adopts the existing accounts (imports) and creates the one without an id.
    const imports = Object.entries(plans.organization.first.changes).filter(([, a]) => a.startsWith('import'));
    expect(imports.map(([addr]) => addr.split('.')[1]).sort()).toEqual(accountsWithIds(acme));
    expect(plans.organization.first.changes['aws_organizations_account.account-analytics']).toBe('create');
    for (const s of ['master', ...accounts]) expect([s, new Set(Object.values(plans[s].first.changes))]).toEqual([s, new Set(['create'])]);
    await expectIamAsPlanned(acme);
    await expectOrganizationAsPlanned(acme, org.accountIds);
    expect([...estate.em.gapsMet].sort()).toEqual(
      (['CreateAccountId', 'EnableOrganizationsRootCredentialsManagement'] satisfies Gap[]).sort(),
    );
  }, 1800000);

  it(`org-s3.yaml: bootstrap first (the state bucket), then every stack's state moves to the bucket and master plans empty from there (gap: ${GAPS.SecureTransport})`, async () => {
    const s3 = estate.view('acme-s3');
    s3.synth(configText('org-s3.yaml'), withoutSecureTransportDeny);
    const accounts = members(s3);
    expect(s3.stackIds()).toEqual(['master', ...accounts, 'bootstrap']);
    const boot = await s3.applyInOrder([['bootstrap']]);
    expect(unconverged(boot)).toEqual([]);
    expect(new Set(Object.values(boot.bootstrap.first.changes))).toEqual(new Set(['create']));
    const bucket = s3.plan.bootstrapStack!.stateBucket!;
    expect(bucket.lockObjects.map((l) => l.stack).sort()).toEqual(['master', ...accounts].sort());
    // Each stack's state (as the acme apply left it) moves to its key in the bucket, through the S3 backend and its lock.
    await mapLimit(['master', ...accounts], 2, async (stack) => {
      const push = await s3.tf(stack, ['state', 'push', acme.localState(stack)]);
      expect([stack, push.code, push.code ? push.stderr : '']).toEqual([stack, 0, '']);
    });
    // The stacks are acme's but for the backend block: one plan reads its state from the bucket and is empty.
    for (const stack of ['master', ...accounts]) expect([stack, ...beyondBackend(s3, acme, stack)]).toEqual([stack]);
    expect(notConverged('master', await s3.planStack('master'))).toBeUndefined();
    const keys = await s3.boto(
      bucket.account.id,
      `out(sorted(o["Key"] for o in client("s3").list_objects_v2(Bucket=${JSON.stringify(bucket.bucket)})["Contents"]))`,
    );
    expect(keys).toEqual(bucket.lockObjects.map((l) => l.key.replace(/\.tflock$/, '')).sort());
  }, 1800000);

  it('org-cloud.yaml: bootstrap first (OIDC providers, plan and apply roles), then its stacks are the acme stacks applied above', async () => {
    const cloud = estate.view('acme-cloud');
    cloud.synth(configText('org-cloud.yaml'));
    const accounts = members(cloud);
    expect(cloud.stackIds()).toEqual(['master', ...accounts, 'bootstrap']);
    const boot = await cloud.applyInOrder([['bootstrap']]);
    expect(unconverged(boot)).toEqual([]);
    expect(new Set(Object.values(boot.bootstrap.first.changes))).toEqual(new Set(['create']));
    const bootstrap = cloud.plan.bootstrapStack!;
    for (const a of bootstrap.accounts) {
      const held = await cloud.boto(
        a.account.id,
        `iam = client("iam")
out({"oidc": [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]],
     "roles": sorted(r["RoleName"] for r in iam.list_roles(PathPrefix=${JSON.stringify(a.roles[0]?.path ?? '/')})["Roles"] if r["RoleName"] in ${JSON.stringify(a.roles.map((r) => r.name))})})`,
      );
      expect({ account: a.key, ...held }).toEqual({
        account: a.key,
        oidc: a.oidcProvider ? [a.oidcProvider.arn] : [],
        roles: a.roles.map((r) => r.name).sort(),
      });
    }
    // HCP Terraform is not emulated, and the providers' credentials are the emulator's: the stacks are acme's
    // (applied above) but for the cloud block and the providers' dynamic credentials (no assume_role).
    expect(beyondBackend(cloud, acme, 'master')).toEqual([]);
    for (const stack of accounts) {
      expect([stack, ...beyondBackend(cloud, acme, stack)]).toEqual([stack, 'provider']);
      const assumed = stackJson(acme, stack).provider.aws.map(({ assume_role: _, ...rest }: Record<string, unknown>) => rest);
      expect(stackJson(cloud, stack).provider.aws).toEqual(assumed);
    }
  }, 1800000);

  it('org-large-company.yaml (identity account apart): organization, identity, management, members apply; every second plan is empty', async () => {
    const globex = estate.view('globex');
    const org = await prepareOrganization(globex, configText('org-large-company.yaml'));
    globex.synth(org.text, org.edit);
    const identity = globex.plan.stacks.find((s) => s.kind === 'master')!.id;
    const management = globex.plan.stacks.find((s) => s.account.id === globex.plan.organizationStack!.account.id)!.id;
    expect([identity, management]).toEqual(['identity', 'account-management']);
    const accounts = members(globex).filter((s) => s !== management);
    expect(globex.stackIds().sort()).toEqual(['organization', identity, management, ...accounts].sort());
    const plans = await globex.applyInOrder([['organization'], [identity], [management], accounts]);
    expect(unconverged(plans)).toEqual([]);
    expect(destroys(plans)).toEqual([]);
    await expectIamAsPlanned(globex);
    await expectOrganizationAsPlanned(globex, org.accountIds);
  }, 1800000);

  it("the suite's check goes red: hand-made drift on an applied stack fails notConverged", async () => {
    const production = acme.plan.stacks.find((s) => s.id === 'account-production')!;
    const role = production.roles[0].name;
    await acme.boto(
      production.account.id,
      `client("iam").attach_role_policy(RoleName="${role}", PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")\nout(1)`,
    );
    const drifted = await acme.planStack('account-production');
    const failure = notConverged('account-production', drifted);
    expect(failure).toMatch(
      /^account-production: plan exits 2 with 1 change\(s\)\n {2}update aws_iam_role_policy_attachments_exclusive\.role-/,
    );
    // And on the plan of a converged stack it passes.
    await acme.boto(
      production.account.id,
      `client("iam").detach_role_policy(RoleName="${role}", PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess")\nout(1)`,
    );
    expect(notConverged('account-production', await acme.planStack('account-production'))).toBeUndefined();
  }, 600000);
});

/** A stack's cdk.tf.json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk.tf.json
function stackJson(estate: Estate, stack: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(estate.dir(stack), 'cdk.tf.json'), 'utf8'));
}

/** The top-level keys of a stack's cdk.tf.json that differ from another estate's stack of that name, `terraform` (backend, cloud) and cdktf's metadata aside. */
function beyondBackend(estate: Estate, other: Estate, stack: string): string[] {
  const [a, b] = [stackJson(estate, stack), stackJson(other, stack)];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => k !== 'terraform' && k !== '//' && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .sort();
}

/** Construct ids of the organization stack's adopted accounts. */
function accountsWithIds(estate: Estate): string[] {
  return estate.plan
    .organizationStack!.accounts.filter((a) => a.importId !== undefined)
    .map((a) => `account-${a.key}`)
    .sort();
}
