/**
 * organization.people: identity-center (SPEC section 5b, docs/identity-center.md):
 * the model's checks (RC701-RC710), the plan of config/org-identity-center.yaml,
 * and that files without the key plan exactly as before.
 */
import * as fs from 'fs';
import * as path from 'path';
import { compileOrgText } from '../../src/plan/compile';
import { isoDuration, permissionSetName } from '../../src/plan/identity-center';
import { diffEffectiveAccess, renderEffectiveDiff } from '../../src/report/access-diff';
import type { OrgPlan } from '../../src/plan/types';
import { identityCenterSchema } from '../../src/model/schema';
import { CATALOGUE } from '../../src/checks/catalogue';

const ROOT = path.join(__dirname, '..', '..');
const IDC = fs.readFileSync(path.join(ROOT, 'config', 'org-identity-center.yaml'), 'utf8');
const ORG = fs.readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8');

function compile(text: string) {
  return compileOrgText(text, 'org.yaml');
}
function planOf(text: string): OrgPlan {
  const r = compile(text);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.plan;
}
function codes(text: string, severity: 'error' | 'notice' = 'error'): string[] {
  return compile(text)
    .diagnostics.filter((d) => d.severity === severity)
    .map((d) => `${d.code} ${d.path.join('.')}`);
}
const withIdc = (text: string, extra: string) =>
  text.replace('    identityStoreId: d-0123456789\n', `    identityStoreId: d-0123456789\n${extra}`);

describe('config/org-identity-center.yaml', () => {
  const plan = planOf(IDC);
  const idc = plan.stacks[0].identityCenter!;

  it('is one master stack holding Identity Center and nothing of IAM', () => {
    expect(plan.stacks.map((s) => [s.id, s.users.length, s.groups.length, s.roles.length, s.passwordPolicy])).toEqual([
      ['master', 0, 0, 0, undefined],
    ]);
    expect(idc.instanceArn).toBe('arn:aws:sso:::instance/ssoins-0123456789abcdef');
  });

  it('says what the instance must enforce, as a notice', () => {
    expect(codes(IDC, 'notice')).toEqual(['RC708 organization.people']);
  });

  it('makes each function a group, each person a user with their memberships', () => {
    expect(idc.groups.map((g) => [g.key, g.externalId])).toEqual([
      ['auditors', undefined],
      ['developers', undefined],
      ['network', undefined],
      ['operations', undefined],
    ]);
    expect(idc.users.find((u) => u.key === 'alice')).toEqual({
      key: 'alice',
      userName: 'alice',
      displayName: 'Alice Example',
      givenName: 'Alice',
      familyName: 'Example',
      email: 'alice@acme.example',
    });
    expect(idc.memberships.filter((m) => m.user === 'bob').map((m) => m.key)).toEqual(['bob--auditors', 'bob--developers']);
  });

  it('makes each distinct role and permission sets one permission set, with the policies and session of the IAM role', () => {
    const iam = planOf(ORG);
    expect(idc.permissionSets.map((p) => p.name)).toEqual([
      'auditors.audit-buckets',
      'auditors.audit-trail',
      'auditors.read-only',
      'developers.admin+logs-read',
      'developers.logs-read',
      'network.network-admin',
      'operations.admin',
    ]);
    // Same managed policies and statements as the IAM role of that role name and sets.
    for (const ps of idc.permissionSets) {
      const role = iam.stacks
        .flatMap((s) => s.roles)
        .find(
          (r) =>
            r.name === ps.role &&
            JSON.stringify(r.managedPolicyArns) === JSON.stringify(ps.managedPolicyArns) &&
            r.inlinePolicies.every((i) => ps.permissionSets.includes(i.key)) &&
            r.inlinePolicies.length > 0 === (ps.inlinePolicy !== undefined),
        )!;
      expect(role).toBeDefined();
      expect(ps.sessionDuration).toBe(isoDuration(role.maxSessionDuration));
      expect(ps.inlinePolicy?.Statement ?? []).toEqual(role.inlinePolicies.flatMap((i) => i.document.Statement));
    }
  });

  it('assigns each function x account x role, as many as the IAM file has function roles per function', () => {
    const iam = planOf(ORG);
    const iamPairs = iam.stacks
      .flatMap((s) => s.roles.flatMap((r) => r.functions.map((fn) => `${fn}--${s.account.name}--${r.name}`)))
      .sort();
    expect(idc.assignments.map((a) => a.key).sort()).toEqual(iamPairs);
  });
});

describe('files without organization.people', () => {
  it('plan exactly as with people: iam-users written out, with no Identity Center anywhere', () => {
    for (const f of fs.readdirSync(path.join(ROOT, 'config')).filter((x) => x.endsWith('.yaml') && x !== 'org-identity-center.yaml')) {
      const text = fs.readFileSync(path.join(ROOT, 'config', f), 'utf8');
      const plan = planOf(text);
      expect(plan.stacks.filter((s) => s.identityCenter !== undefined)).toEqual([]);
      const explicit = planOf(text.replace(/^organization:\n/m, 'organization:\n  people: iam-users\n'));
      expect(JSON.stringify(explicit.stacks)).toBe(JSON.stringify(plan.stacks));
    }
  });
});

describe('both backends side by side (migration)', () => {
  it('keeps every IAM stack as it is and adds Identity Center to the master stack', () => {
    const both = planOf(
      ORG.replace(
        '  master: master\n',
        '  master: master\n  people: [iam-users, identity-center]\n  identityCenter: { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", identityStoreId: d-0123456789 }\n',
      ),
    );
    const iam = planOf(ORG);
    const strip = (p: OrgPlan) => JSON.stringify(p.stacks.map(({ identityCenter, ...rest }) => (void identityCenter, rest)));
    expect(strip(both)).toBe(strip(iam));
    expect(both.stacks.find((s) => s.id === 'master')!.identityCenter!.assignments.length).toBe(
      planOf(IDC).stacks[0].identityCenter!.assignments.length,
    );
  });
});

describe('the checks', () => {
  it('RC701: identity-center without the instance', () => {
    expect(codes(IDC.replace(/ {2}identityCenter:\n( {4}.*\n)+/, ''))).toEqual(['RC701 organization.people']);
  });
  it('RC702: an instance nobody uses is a notice', () => {
    const text = ORG.replace(
      '  master: master\n',
      '  master: master\n  identityCenter: { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", identityStoreId: d-0123456789 }\n',
    );
    expect(codes(text)).toEqual([]);
    expect(codes(text, 'notice')).toContain('RC702 organization.identityCenter');
  });
  it('RC703: a backend twice', () => {
    expect(codes(IDC.replace('  people: identity-center\n', '  people: [identity-center, identity-center]\n'))).toEqual([
      'RC703 organization.people.1',
    ]);
  });
  it('RC201 and RC704: the administering account must exist and have an id', () => {
    expect(codes(withIdc(IDC, '    account: tooling\n'))).toEqual(['RC201 organization.identityCenter.account']);
    const noId = withIdc(IDC, '    account: tooling\n').replace(
      'accounts:\n',
      'accounts:\n  tooling:\n    email: aws+tooling@acme.example\n',
    );
    expect(codes(noId)).toEqual(['RC704 organization.identityCenter.account', 'RC709 functions.auditors.access']);
  });
  it('RC705 and RC202: with external groups every function names one, and only functions', () => {
    const text = withIdc(
      IDC,
      '    groups:\n      operations: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f6\n      developers: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f7\n      auditors: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f8\n      netwrok: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f9\n',
    );
    expect(codes(text)).toEqual(['RC202 organization.identityCenter.groups.netwrok', 'RC705 functions.network']);
  });
  it('external groups: no users or memberships, assignments name the groups by id', () => {
    const text = withIdc(
      IDC,
      '    groups:\n      operations: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f6\n      developers: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f7\n      auditors: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f8\n      network: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f9\n',
    );
    const idc = planOf(text).stacks[0].identityCenter!;
    expect([idc.users.length, idc.memberships.length, idc.groups.every((g) => g.externalId !== undefined)]).toEqual([0, 0, true]);
  });
  it('RC706: IAM-user settings with identity-center alone, fine with both backends', () => {
    const text = IDC.replace(
      '    functions: [operations]\n',
      '    functions: [operations]\n    accessKey: true\n    pgpKey: keybase:alice\n',
    );
    expect(codes(text)).toEqual(['RC706 people.alice.accessKey', 'RC706 people.alice.pgpKey']);
    expect(codes(text.replace('  people: identity-center\n', '  people: [iam-users, identity-center]\n'))).toEqual([]);
  });
  it('RC707: until and breakGlass have no Identity Center equivalent', () => {
    const text = IDC.replace(
      '    functions: [developers]\n',
      '    functions: [developers, { name: auditors, until: "2026-12-10T18:00:00Z" }]\n',
    );
    expect(codes(text)).toEqual(['RC707 people.dave.functions.1.until']);
  });
  // A delegated administrator nobody is granted (administering from sandbox, where developers are admin, breaches
  // the guardrails: test/access/identity-center.test.ts).
  const delegated = (text: string) =>
    withIdc(text, '    account: identity-admin\n').replace(
      'accounts:\n',
      'accounts:\n  identity-admin:\n    id: "666666666666"\n    environment: production\n',
    );
  it('RC709: a delegated administrator cannot name its own groups in the management stack', () => {
    expect(codes(delegated(IDC))).toEqual(['RC709 functions.auditors.access']);
  });
  it('delegated administrator: management assignments and their permission set copies stay in the master stack', () => {
    const text = delegated(IDC).replace('      - accounts: [master]\n        permissions: audit-trail\n', '');
    const plan = planOf(text);
    expect(plan.stacks.find((s) => s.id === 'account-identity-admin')?.identityCenter?.assignments.length).toBeGreaterThan(0);
    expect(plan.stacks.find((s) => s.id === 'master')?.identityCenter).toBeUndefined();
  });
  it('RC710: one role and sets with two session lengths', () => {
    const text = IDC.replace(
      '      - accounts: [production, development, sandbox]\n        permissions: [network-admin]',
      '      - accounts: [production, development]\n        permissions: [network-admin]\n      - accounts: [sandbox]\n        permissions: [network-admin]\n        sessionDuration: 2h',
    );
    expect(codes(text)).toEqual(['RC710 functions.network.access']);
  });
});

describe('bounded like every stack (RC411): Identity Center cannot be sharded without look-ups, so it is refused', () => {
  // 400 people in two functions each: 400 users + 800 memberships in the master stack.
  const many = IDC.replace(
    /^people:\n/m,
    `people:\n${Array.from({ length: 400 }, (_, i) => `  p${i}:\n    name: Person ${i}\n    email: p${i}@acme.example\n    functions: [developers, auditors]\n`).join('')}`,
  );
  it('over 1,000 resources: one error at organization.identityCenter, saying what takes the room and how to take it out', () => {
    const found = compile(many).diagnostics.filter((d) => d.code === 'RC411');
    expect(found.map((d) => d.path.join('.'))).toEqual(['organization.identityCenter']);
    expect(found[0].message).toContain('stack master would hold 1,');
    expect(found[0].message).toMatch(/1,2\d\d groups, users and memberships/);
    expect(found[0].fix).toContain('organization.identityCenter.groups');
  });
  it('the fix works: with an external IdP the users and memberships leave the stack', () => {
    const groups = ['operations', 'developers', 'auditors', 'network']
      .map((fn, i) => `      ${fn}: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f${i}\n`)
      .join('');
    expect(codes(withIdc(many, `    groups:\n${groups}`))).toEqual([]);
  });
});

describe('names', () => {
  it('permission set names fit 32 characters and stay distinct', () => {
    expect(permissionSetName('operations', ['admin'])).toBe('operations.admin');
    const long = permissionSetName('a-very-long-role-name', ['first-set', 'second-set']);
    expect(long).toHaveLength(32);
    expect(long).not.toBe(permissionSetName('a-very-long-role-name', ['first-set', 'third-set']));
    expect(permissionSetName('operations', ['admin'], true)).toBe('operations.admin.mgmt');
  });
  it('session durations are ISO 8601', () => {
    expect([isoDuration(3600), isoDuration(4 * 3600), isoDuration(5400)]).toEqual(['PT1H', 'PT4H', 'PT1H30M']);
  });
});

describe('rolecall diff: config/org.yaml -> config/org-identity-center.yaml (the migration)', () => {
  it("changes no person's or function's access on any account; only credentials, IAM roles and stacks go", () => {
    const side = (text: string) => {
      const r = compile(text);
      if (!r.ok) throw new Error('does not compile');
      return { model: r.model, plan: r.plan, matrix: r.matrix };
    };
    const before = side(ORG);
    const after = side(IDC);
    const diff = diffEffectiveAccess(before, after);
    expect({ people: diff.people, functions: diff.functions, customerWrite: diff.customerWrite, timeBound: diff.timeBound }).toEqual({
      people: [],
      functions: [],
      customerWrite: [],
      timeBound: [],
    });
    // Per person and account, the same level and functions on both sides (not only "no change reported").
    const cells = (m: typeof before.matrix) =>
      m.people.flatMap((p) =>
        m.accounts.map((a) => {
          const c = m.cell(p.name, a.name);
          return `${p.name} ${a.name} ${c.level} ${c.functions.join(',')} ${c.roles.join(',')} ${c.permissionSets.join(',')}`;
        }),
      );
    expect(cells(after.matrix)).toEqual(cells(before.matrix));
    expect(cells(before.matrix).filter((c) => !c.includes(' none ')).length).toBeGreaterThan(10);
    expect(renderEffectiveDiff(diff, 'base')).toContain("no person's level or paths change");
  });
});

describe('rolecall diff through the migration: config/org.yaml -> both backends -> config/org-identity-center.yaml', () => {
  const side = (text: string) => {
    const r = compile(text);
    if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
    return { model: r.model, plan: r.plan, matrix: r.matrix };
  };
  const BOTH = ORG.replace(
    '  master: master\n',
    '  master: master\n  people: [iam-users, identity-center]\n  identityCenter: { instanceArn: "arn:aws:sso:::instance/ssoins-0123456789abcdef", identityStoreId: d-0123456789 }\n',
  );
  const iam = side(ORG);
  const both = side(BOTH);
  const idc = side(IDC);
  const assignments = idc.plan.stacks[0].identityCenter!;
  const names = new Map(assignments.permissionSets.map((p) => [p.key, p.name]));
  const expectedAssignments = assignments.assignments.map((a) => `${a.group} -> ${a.account.name} (${names.get(a.permissionSet)})`).sort();
  const iamRoles = iam.plan.stacks.flatMap((s) => s.roles.map((r) => `${r.arn} (stack ${s.id})`)).sort();

  it("step 1, both backends: nobody's access changes; exactly the identity store users, permission sets and assignments appear", () => {
    const diff = diffEffectiveAccess(iam, both);
    expect([diff.people, diff.functions, diff.credentials, diff.roles, diff.stacks, diff.customerWrite]).toEqual([
      [],
      [],
      [],
      { added: [], removed: [] },
      { added: [], removed: [] },
      [],
    ]);
    expect(diff.identityCenter).toEqual({
      users: { added: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'], removed: [] },
      permissionSets: { added: assignments.permissionSets.map((p) => p.name).sort(), removed: [], changed: [] },
      assignments: { added: expectedAssignments, removed: [] },
    });
    expect(expectedAssignments).toContain('developers -> production (developers.logs-read)');
    const text = renderEffectiveDiff(diff, 'HEAD');
    expect(text).toContain("no person's level or paths change");
    expect(text).toContain('+ 6 identity store users: alice, bob, carol, dave, erin, frank');
    expect(text).toContain('+ assignment operations -> production (operations.admin)');
  });

  it("step 2, Identity Center alone: nobody's access changes; exactly the IAM users, their credentials, the IAM roles and the account stacks go", () => {
    const diff = diffEffectiveAccess(both, idc);
    expect([diff.people, diff.functions, diff.customerWrite]).toEqual([[], [], []]);
    expect(diff.credentials.map((c) => c.person)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
    expect(diff.credentials[0].summary).toBe(
      'alice loses their IAM user (with its console password and access key): people: iam-users is no longer in the file',
    );
    expect(diff.roles).toEqual({ added: [], removed: iamRoles });
    expect(diff.stacks).toEqual({
      added: [],
      removed: ['account-development', 'account-production', 'account-sandbox', 'account-storage'],
    });
    // Identity Center stays exactly as the transition file made it.
    expect(diff.identityCenter).toEqual({
      users: { added: [], removed: [] },
      permissionSets: { added: [], removed: [], changed: [] },
      assignments: { added: [], removed: [] },
    });
    expect(renderEffectiveDiff(diff, 'HEAD')).toContain("no person's level or paths change");
  });

  it('a change to a permission set shows as one: ~ permission set, and the function x account it moves', () => {
    const edited = IDC.replace(
      '    managed: [CloudWatchLogsReadOnlyAccess]\n',
      '    managed: [CloudWatchLogsReadOnlyAccess, AmazonS3ReadOnlyAccess]\n',
    );
    const diff = diffEffectiveAccess(idc, side(edited));
    expect(diff.identityCenter.permissionSets.changed).toEqual(['developers.admin+logs-read', 'developers.logs-read']);
    expect(diff.functions.length).toBeGreaterThan(0);
  });
});

describe('the docs', () => {
  const orgFile = fs.readFileSync(path.join(ROOT, 'docs', 'org-file.md'), 'utf8');
  const guide = fs.readFileSync(path.join(ROOT, 'docs', 'identity-center.md'), 'utf8');
  it('docs/org-file.md documents every identityCenter key, and both name every RC7xx code', () => {
    for (const key of Object.keys(identityCenterSchema.shape)) expect(orgFile).toContain(`| \`identityCenter.${key}\` |`);
    const codes = CATALOGUE.map((c) => c.code).filter((c) => c.startsWith('RC7'));
    expect(codes.length).toBeGreaterThanOrEqual(10);
    for (const code of codes) expect(`${code} ${orgFile.includes(code) || guide.includes(code)}`).toBe(`${code} true`);
  });
  it('every code the Identity Center checks and errors raise in this file is documented there', () => {
    const raised = new Set<string>();
    for (const text of [
      IDC.replace('people: identity-center', 'people: idc'),
      IDC.replace('ssoins-0123456789abcdef', 'ssoins-0'),
      withIdc(IDC, '    instance: x\n'),
      withIdc(IDC, '    account: nowhere\n'),
      withIdc(IDC, '    groups: { operatons: 9067d0a1-2c3b-4d5e-8f90-a1b2c3d4e5f6 }\n'),
    ])
      for (const d of compile(text).diagnostics) raised.add(d.code);
    expect([...raised].sort()).toEqual(['RC101', 'RC106', 'RC113', 'RC201', 'RC202', 'RC705', 'RC708']);
    for (const code of raised) expect(`${code} ${orgFile.includes(code) || guide.includes(code)}`).toBe(`${code} true`);
  });
  it('organization.people: a wrong backend is one error with the forms and a suggestion', () => {
    const [d] = compile(IDC.replace('people: identity-center', 'people: identity-centre')).diagnostics.filter(
      (x) => x.severity === 'error',
    );
    expect([d.code, d.path.join('.'), d.fix]).toEqual(['RC113', 'organization.people', 'did you mean "identity-center"?']);
    expect(d.expected).toBe('iam-users or identity-center, or a list of both while people move ([iam-users, identity-center])');
  });
});
