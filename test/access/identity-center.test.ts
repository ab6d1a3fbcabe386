/**
 * The access engine on IAM Identity Center (issue 22, docs/identity-center.md):
 * group membership -> account assignment -> the `AWSReservedSSO_*` role in
 * the account, and administering Identity Center (the administering
 * account's admin, or identity store and sso writes there) reaching every
 * group and every account it can assign. The matrix, explain and guardrails
 * read these from the engine (src/access/from-plan.ts, edges/identity-center.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgText } from '../../src/plan/compile';
import { loadOrgText } from '../../src/model/load';
import { buildPlan } from '../../src/plan/build';
import { buildAccessMatrix } from '../../src/plan/access';
import { AccessEngine } from '../../src/access/engine';
import { estateFromPlan, planContext } from '../../src/access/from-plan';
import { compareAccessLevel } from '../../src/iam/actions';
import type { AccessLevel } from '../../src/model/schema';
import { synthesizeApp } from '../../src/stacks/app';
import { readSynthesizedIdentityCenter, simulateRoleAction, type SynthAssignment } from '../helpers/simulate';
import { aboveLevelCandidates } from './prove';
import { renderExplain } from '../../src/report/explain';
import { stackResourceCount } from '../../src/plan/shards';

const ROOT = path.join(__dirname, '..', '..');
const IDC = fs.readFileSync(path.join(ROOT, 'config', 'org-identity-center.yaml'), 'utf8');

function load(text: string) {
  const loaded = loadOrgText(text, 'org.yaml');
  if (!loaded.model) throw new Error(loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const model = loaded.model;
  const plan = buildPlan(model);
  const estate = estateFromPlan(plan, planContext(model));
  return { model, plan, estate, engine: new AccessEngine(estate), matrix: buildAccessMatrix(model, plan) };
}
const withIdc = (text: string, extra: string) =>
  text.replace('    identityStoreId: d-0123456789\n', `    identityStoreId: d-0123456789\n${extra}`);
/** Identity Center administered from sandbox (a delegated administrator); auditors lose their master grant (RC709). */
const DELEGATED = withIdc(IDC, '    account: sandbox\n').replace('      - accounts: [master]\n        permissions: audit-trail\n', '');
const max = (levels: AccessLevel[]): AccessLevel => levels.reduce<AccessLevel>((a, l) => (compareAccessLevel(l, a) > 0 ? l : a), 'none');

describe('the estate of config/org-identity-center.yaml', () => {
  const { estate, engine, matrix, plan } = load(IDC);

  it('holds the identity store, and one AWSReservedSSO_ role per permission set and account, trusting only the SAML provider', () => {
    const center = estate.identityCenter!;
    expect(center.account).toBe('master');
    expect(center.assignable).toEqual(['development', 'master', 'production', 'sandbox', 'storage']);
    expect(center.users.map((u) => u.name).sort()).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
    expect(estate.users).toEqual([]);
    const sso = estate.roles.filter((r) => r.origin === 'identity-center');
    expect(sso.map((r) => `${r.account} ${r.name}`)).toContain('production AWSReservedSSO_operations.admin_*');
    expect(sso.every((r) => r.path === '/aws-reserved/sso.amazonaws.com/')).toBe(true);
    expect(sso.every((r) => r.trust.Statement.every((s) => s.Principal !== '*' && s.Principal?.AWS === undefined))).toBe(true);
    // Every assignment of the plan is one, and names a role of the estate.
    expect(center.assignments.length).toBe(plan.stacks[0].identityCenter!.assignments.length);
    expect(center.assignments.every((a) => sso.some((r) => r.arn === a.role))).toBe(true);
  });

  it("each role's level in the engine is the level the matrix gives that function's role there", () => {
    let compared = 0;
    for (const a of estate.identityCenter!.assignments) {
      const node = engine.graph.node(`role:${a.role}`)!;
      const fn = estate.identityCenter!.groups.find((g) => g.arn === a.group)!.labels!.function!;
      const role = node.role!.labels!.identityCenterPermissionSet!.split('.')[0];
      const expected = matrix.roles(fn, a.account).find((r) => r.role === role)!;
      expect(`${fn} ${a.account} ${engine.graph.levelOf(node).level}`).toBe(`${fn} ${a.account} ${expected.level}`);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('a person reaches, through the engine alone, what the matrix shows (identity store user -> group -> role)', () => {
    for (const p of matrix.people) {
      const arn = estate.identityCenter!.users.find((u) => u.name === p.name)!.arn;
      const reach = engine.person(arn);
      for (const a of matrix.accounts) {
        expect(`${p.name} ${a.name} ${reach.get(a.name)?.level ?? 'none'}`).toBe(
          `${p.name} ${a.name} ${matrix.cell(p.name, a.name).level}`,
        );
      }
    }
    const dave = engine.person(estate.identityCenter!.users.find((u) => u.name === 'dave')!.arn).get('sandbox')!;
    expect(dave.chain.map((h) => h.edge?.kind ?? 'start')).toEqual(['start', 'identity-center']);
    expect(dave.chain[1].label).toBe('role AWSReservedSSO_developers.admin+logs-read_* in sandbox');
  });
});

describe('administering Identity Center joins every group and assigns every account', () => {
  const delegated = load(DELEGATED);

  it('an admin of the administering account reaches every function on every account, at least at its level', () => {
    const admin = delegated.engine.graph.reach(['admin:sandbox'], true);
    let checked = 0;
    for (const f of delegated.matrix.functions) {
      for (const a of delegated.matrix.accounts) {
        const level = max(delegated.matrix.roles(f.name, a.name).map((r) => r.level));
        if (level === 'none') continue;
        expect(compareAccessLevel(admin.get(a.name)?.level ?? 'none', level)).toBeGreaterThanOrEqual(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    // A delegated administrator assigns every account but the management one: there it joins the groups only.
    expect(delegated.estate.identityCenter!.assignable).not.toContain('master');
    expect(admin.get('production')!.chain.map((h) => h.edge?.kind ?? 'start')).toEqual(['start', 'identity-center-admin']);
  });

  it('developers administer the sandbox, so they hold admin on production: the matrix says so and the guardrail breaches', () => {
    const cell = delegated.matrix.cell('dave', 'production');
    expect(cell.level).toBe('admin');
    // The developers' AdministratorAccess role in sandbox may create account assignments: admin of production.
    expect(cell.evidence!.path).toBe(
      'chain identity store user dave -> role AWSReservedSSO_developers.admin+logs-read_* in sandbox (sso:GetRoleCredentials) -> admin of production (sso:CreateAccountAssignment)',
    );
    // On IAM users the same file has no such path: developers only read production's logs.
    const iam = load(
      DELEGATED.replace('  people: identity-center\n', '  people: iam-users\n').replace(/ {2}identityCenter:\n( {4}.*\n)+/, ''),
    );
    expect(iam.matrix.cell('dave', 'production').level).toBe('read');
    const r = compileOrgText(DELEGATED, 'org.yaml');
    const breaches = r.diagnostics.filter((d) => d.code === 'RC501').map((d) => d.message);
    expect(breaches.some((m) => m.includes('developers never change customer data') && m.includes('production'))).toBe(true);
    // The fix names the cause: Identity Center administered where developers hold sso writes.
    expect(r.diagnostics.find((d) => d.code === 'RC501')!.fix).toBe(
      'take sso:CreateAccountAssignment away from role AWSReservedSSO_developers.admin+logs-read_* in sandbox: whoever may write assignments, permission sets or memberships where Identity Center is administered reaches every account it assigns; administer it from an account only its administrators hold (organization.identityCenter.account, default the master)',
    );
    // The file administered from the master breaches nothing.
    expect(compileOrgText(IDC, 'org.yaml').diagnostics.filter((d) => d.code === 'RC501')).toEqual([]);
  });

  const withFunction = (text: string, set: string, actions: string[]) =>
    text
      .replace(
        'permissions:\n  admin:\n',
        `permissions:\n  ${set}:\n    statements:\n      - actions: ${JSON.stringify(actions)}\n        resources: ["*"]\n  admin:\n`,
      )
      .replace('functions:\n', `functions:\n  helpdesk:\n    access:\n      master: ${set}\n`)
      .replace('people:\n', 'people:\n  hank:\n    name: Hank Helpdesk\n    email: hank@acme.example\n    functions: [helpdesk]\n');

  it('identity store membership writes in the administering account join every group (not admin: write)', () => {
    const { matrix } = load(withFunction(IDC, 'group-writer', ['identitystore:CreateGroupMembership']));
    expect(matrix.cell('hank', 'master').level).toBe('write');
    // Joins operations: admin wherever operations is, through the joined group's role.
    const prod = matrix.cell('hank', 'production');
    expect(prod.level).toBe('admin');
    expect(prod.evidence!.path).toContain('identity store user hank');
    // Without the action, nothing beyond master.
    const none = load(withFunction(IDC, 'group-writer', ['identitystore:ListGroups'])).matrix;
    expect(none.cell('hank', 'production').level).toBe('none');
  });

  it('assignment or permission set writes give admin of every account Identity Center can assign', () => {
    for (const action of ['sso:CreateAccountAssignment', 'sso:PutInlinePolicyToPermissionSet']) {
      const { matrix } = load(withFunction(IDC, 'assigner', [action]));
      for (const account of ['development', 'production', 'sandbox', 'storage'])
        expect(`${action} ${account} ${matrix.cell('hank', account).level}`).toBe(`${action} ${account} admin`);
    }
  });

  it('PowerUserAccess in a delegated administrator is admin of every member (it allows every sso: and identitystore: action)', () => {
    const text = withIdc(IDC, '    account: identity-admin\n')
      .replace('accounts:\n', 'accounts:\n  identity-admin:\n    id: "666666666666"\n    environment: production\n')
      .replace('      - accounts: [master]\n        permissions: audit-trail\n', '')
      .replace('permissions:\n  admin:\n', 'permissions:\n  power:\n    managed: [PowerUserAccess]\n  admin:\n')
      .replace('functions:\n', 'functions:\n  helpdesk:\n    access:\n      identity-admin: power\n')
      .replace('people:\n', 'people:\n  hank:\n    name: Hank Helpdesk\n    email: hank@acme.example\n    functions: [helpdesk]\n');
    const { matrix } = load(text);
    // Not admin of its own account by the catalog (no iam: writes), yet admin of every account it can assign.
    expect(matrix.role('helpdesk', 'identity-admin')!.level).toBe('permissions');
    for (const account of ['development', 'production', 'sandbox', 'storage'])
      expect(`${account} ${matrix.cell('hank', account).level}`).toBe(`${account} admin`);
    expect(matrix.cell('hank', 'storage').evidence!.path).toContain('-> admin of storage (sso:CreateAccountAssignment)');
    // The management account is not assignable from a delegated administrator; but the identity store is hank's:
    // he can take over alice, a changer of the pipeline that applies the master stack.
    expect(matrix.cell('hank', 'master').evidence!.path).toContain(
      '-> identity store user alice -> ambient credentials in master (pipeline terraform-cloud, iam:PutRolePolicy)',
    );
  });

  it('the function x account view reads the same engine: a member of developers alone', () => {
    expect(delegated.matrix.functionCell('developers', 'storage').level).toBe('admin');
    expect(load(IDC).matrix.functionCell('developers', 'storage').level).toBe('read');
  });
});

describe("an external IdP's groups", () => {
  const groups = ['operations', 'developers', 'auditors', 'network']
    .map((fn, i) => `      ${fn}: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f${i}\n`)
    .join('');
  it("the file's people are the IdP's members: the engine reaches through the groups by id, as the matrix shows", () => {
    const { estate, engine, matrix, plan } = load(withIdc(IDC, `    groups:\n${groups}`));
    expect(plan.stacks[0].identityCenter!.users).toEqual([]);
    const dave = estate.identityCenter!.users.find((u) => u.name === 'dave')!;
    expect(dave.groups).toEqual(['arn:aws:identitystore:::group/d-0123456789/9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f1']);
    const reach = engine.person(dave.arn);
    for (const a of matrix.accounts)
      expect(`${a.name} ${reach.get(a.name)?.level ?? 'none'}`).toBe(`${a.name} ${matrix.cell('dave', a.name).level}`);
    expect(reach.get('sandbox')!.level).toBe('admin');
  });
});

describe('explain names what exists on the backend', () => {
  it('Identity Center alone: the group in Identity Center, the AWSReservedSSO_ role and its permission set, no IAM role', () => {
    const { matrix } = load(IDC);
    const text = renderExplain(matrix, matrix.cell('dave', 'sandbox'));
    expect(text).toContain('    group: developers in Identity Center\n');
    expect(text).toContain(
      '    role:  arn:aws:iam::555555555555:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_developers.admin+logs-read_* (Identity Center permission set developers.admin+logs-read)\n',
    );
    expect(text).not.toContain('role/developers');
    expect(matrix.role('developers', 'sandbox')!.roleArn).toContain('AWSReservedSSO_developers.admin+logs-read_');
  });
  it('both backends: the IAM role, or the permission set', () => {
    const ORG = fs.readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8');
    const { matrix } = load(
      ORG.replace(
        '  master: master\n',
        '  master: master\n  people: [iam-users, identity-center]\n  identityCenter: { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", identityStoreId: d-0123456789 }\n',
      ),
    );
    const text = renderExplain(matrix, matrix.cell('dave', 'sandbox'));
    expect(text).toContain('    group: developers in master (111111111111), and in Identity Center\n');
    expect(text).toContain('    role:  arn:aws:iam::555555555555:role/developers\n');
    expect(text).toContain(
      '    or:    arn:aws:iam::555555555555:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_developers.admin+logs-read_*',
    );
  });
});

describe('both backends side by side', () => {
  const ORG = fs.readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8');
  const BOTH = ORG.replace(
    '  master: master\n',
    '  master: master\n  people: [iam-users, identity-center]\n  identityCenter: { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", identityStoreId: d-0123456789 }\n',
  );
  it('a person holds their IAM user and their identity store user; the engine reads both', () => {
    const { estate, engine, matrix } = load(BOTH);
    expect(estate.users.length).toBe(6);
    expect(estate.identityCenter!.users.length).toBe(6);
    const arns = [estate.users.find((u) => u.name === 'dave')!.arn, estate.identityCenter!.users.find((u) => u.name === 'dave')!.arn];
    const both = engine.people(arns);
    expect(both.get('sandbox')!.level).toBe('admin');
    for (const a of matrix.accounts)
      expect(`${a.name} ${both.get(a.name)?.level ?? 'none'}`).toBe(`${a.name} ${matrix.cell('dave', a.name).level}`);
  });
});

describe('the IAM simulator proves each permission set gives the level the matrix shows (synthesized JSON)', () => {
  let assignments: SynthAssignment[];
  /** Resources per synthesized stack. */
  const rendered = new Map<string, number>();
  const { matrix, plan } = load(IDC);
  const accountName = new Map(matrix.accounts.map((a) => [a.id, a.name]));
  beforeAll(() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-idc-simulate-'));
    try {
      synthesizeApp(plan, outdir);
      assignments = readSynthesizedIdentityCenter(outdir);
      for (const s of plan.stacks) {
        const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s.id, 'cdk.tf.json'), 'utf8')) as { resource?: object };
        rendered.set(
          s.id,
          Object.values(json.resource ?? {}).reduce((n: number, byName: object) => n + Object.keys(byName).length, 0),
        );
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('the bound counts what the stack renders, Identity Center included (RC411)', () => {
    for (const s of plan.stacks) expect([s.id, stackResourceCount(s)]).toEqual([s.id, rendered.get(s.id)]);
    expect(rendered.get('master')).toBeGreaterThan(50);
  });

  it('every assignment of the plan is in the JSON', () => {
    const planned = plan.stacks.flatMap((s) => s.identityCenter?.assignments ?? []);
    expect(assignments.map((a) => `${a.group} ${a.role.accountId} ${a.permissionSet}`).sort()).toEqual(
      planned
        .map(
          (a) => `${a.group} ${a.account.id} ${plan.stacks[0].identityCenter!.permissionSets.find((p) => p.key === a.permissionSet)!.name}`,
        )
        .sort(),
    );
  });

  it("each set's evidence action is allowed, and actions above the role's level are denied", async () => {
    const verdicts = { allowed: 0, denied: 0 };
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const a of assignments) {
      const account = accountName.get(a.role.accountId)!;
      const key = `${a.permissionSet} ${account}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const role = matrix.roles(a.group, account).find((r) => a.permissionSet.startsWith(`${r.role}.`))!;
      expect(role).toBeDefined();
      for (const set of role.permissionSets) {
        if (set.action === undefined) continue;
        const got = await simulateRoleAction(a.role, set.action);
        if (got === 'Allowed') verdicts.allowed++;
        else mismatches.push(`${key}: ${set.action} (${set.name}: ${set.level}) ${got}`);
      }
      if (role.level === 'admin') continue;
      for (const action of aboveLevelCandidates(a.role, role.level)) {
        const got = await simulateRoleAction(a.role, action);
        if (got === 'Allowed') mismatches.push(`${key}: ${action} above ${role.level} Allowed`);
        else verdicts.denied++;
      }
    }
    expect(mismatches).toEqual([]);
    // Both answers occur: the check can fail either way.
    expect(verdicts.allowed).toBeGreaterThan(10);
    expect(verdicts.denied).toBeGreaterThan(100);
  });
});

describe('the migration leaves Identity Center as the transition file made it', () => {
  const ORG = fs.readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8');
  const BOTH = ORG.replace(
    '  master: master\n',
    '  master: master\n  people: [iam-users, identity-center]\n  identityCenter: { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", identityStoreId: d-0123456789 }\n',
  );
  const identityCenterResources = (text: string): Record<string, unknown> => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-idc-migration-'));
    try {
      synthesizeApp(load(text).plan, outdir);
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'master', 'cdk.tf.json'), 'utf8')) as {
        resource: Record<string, unknown>;
      };
      return Object.fromEntries(Object.entries(json.resource).filter(([type]) => /^aws_(identitystore|ssoadmin)_/.test(type)));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  };
  it("the master stack's Identity Center resources are the same, address for address, with both backends and with Identity Center alone", () => {
    const both = identityCenterResources(BOTH);
    expect(Object.keys(both).sort()).toEqual([
      'aws_identitystore_group',
      'aws_identitystore_group_membership',
      'aws_identitystore_user',
      'aws_ssoadmin_account_assignment',
      'aws_ssoadmin_managed_policy_attachment',
      'aws_ssoadmin_permission_set',
      'aws_ssoadmin_permission_set_inline_policy',
    ]);
    expect(identityCenterResources(IDC)).toEqual(both);
  });
});
