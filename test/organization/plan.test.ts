import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { formatDiagnostic, formatKeyPath, type Diagnostic } from '../../src/model/diagnostics';
import { listServices } from '../../src/iam/actions';
import { loadOrgText } from '../../src/model/load';
import { buildPlan } from '../../src/plan/build';
import {
  DENIED_IAM_USER_ACTIONS,
  ALWAYS_ALLOWED_ACTIONS,
  MEMBER_BASELINE_SCP,
  servicesScp,
  servicesScpKey,
  type OrganizationStackPlan,
} from '../../src/plan/organization';
import { policySize } from '../../src/plan/policies';
import { ORGANIZATIONS_QUOTAS } from '../../src/limits';
import { ouPathProblem } from '../../src/checks/rules/rc310-ou-path';
import { checkOrganization } from '../helpers/checks';
import { MANAGED_TEXT, MASTER_ID, diagnosticsOf, planOf, variant } from '../fixtures/organization';

const ORG_YAML = readFileSync(path.join(__dirname, '..', '..', 'config', 'org.yaml'), 'utf8');

function errorsAt(diagnostics: Diagnostic[], keyPath: string): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error' && formatKeyPath(d.path) === keyPath);
}

/** Every construct key of the organization stack: what its Terraform addresses derive from. */
function keys(org: OrganizationStackPlan): string[] {
  return [
    ...org.organizationalUnits.map((u) => `ou/${u.key}`),
    ...org.accounts.map((a) => `account/${a.key}`),
    ...org.policies.flatMap((p) => [`scp/${p.key}`, ...p.targets.map((t) => `scp/${p.key}/attach/${t}`)]),
  ];
}

describe('organization stack plan', () => {
  test('manage: false (config/org.yaml) emits no organization stack', () => {
    const { plan } = planOfUnmanaged(ORG_YAML);
    expect(plan.organizationStack).toBeUndefined();
  });

  test('config/org-managed.yaml is config/org.yaml with manage: true and one more account (so the two cannot drift)', () => {
    const managed = parse(MANAGED_TEXT);
    expect(managed.organization.manage).toBe(true);
    expect(managed.accounts.analytics.id).toBeUndefined();
    expect(managed.accounts.analytics.email).toBe('aws+analytics@acme.example');
    managed.organization.manage = false;
    delete managed.accounts.analytics;
    expect(managed).toEqual(parse(ORG_YAML));
  });

  test('the full compile of config/org-managed.yaml adds no error to those of config/org.yaml, and one notice', () => {
    // Compared with org.yaml rather than "no errors", so a problem of the shared example is reported once, by its own tests.
    const signature = (d: Diagnostic) => `${d.severity} ${formatKeyPath(d.path)}: ${d.message}`;
    const base = new Set(diagnosticsOf(ORG_YAML, 'org.yaml').map(signature));
    const managed = diagnosticsOf(MANAGED_TEXT).map(signature);
    expect(managed.filter((d) => !base.has(d))).toEqual([
      'notice accounts.analytics: account analytics has no id yet: no account stack until its id is written into the file',
    ]);
  });

  test('lives in the master account on ambient credentials, with the ids from the file', () => {
    const { org } = planOf(MANAGED_TEXT);
    expect(org.id).toBe('organization');
    expect(org.account).toEqual({ name: 'master', id: MASTER_ID });
    expect(org.provider.allowedAccountIds).toEqual([MASTER_ID]);
    expect(org.provider.assumeRoleArn).toBeUndefined();
    expect(org.provider.region).toBe('eu-west-1');
    expect(org.organizationId).toBe('o-abc123defg');
    expect(org.rootId).toBe('r-ab12');
  });

  test('OUs are nested from the paths, keyed by path, parents first', () => {
    const { org } = planOf(MANAGED_TEXT);
    expect(org.organizationalUnits).toEqual([
      { key: 'Sandbox', name: 'Sandbox' },
      { key: 'Workloads', name: 'Workloads' },
      { key: 'Workloads/Analytics', name: 'Analytics', parentKey: 'Workloads' },
      { key: 'Workloads/Development', name: 'Development', parentKey: 'Workloads' },
      { key: 'Workloads/Production', name: 'Production', parentKey: 'Workloads' },
    ]);
  });

  test('member accounts: adopted by id (import), or created from email with the deploy role; never the master', () => {
    const { org } = planOf(MANAGED_TEXT);
    expect(org.accounts.map((a) => a.key)).toEqual(['analytics', 'development', 'production', 'sandbox', 'storage']);
    const analytics = org.accounts.find((a) => a.key === 'analytics')!;
    expect(analytics).toEqual({
      key: 'analytics',
      name: 'analytics',
      email: 'aws+analytics@acme.example',
      parentKey: 'Workloads/Analytics',
      roleName: 'OrganizationAccountAccessRole',
      tags: { 'cost-center': 'data' },
    });
    const storage = org.accounts.find((a) => a.key === 'storage')!;
    expect(storage.importId).toBe('333333333333');
    expect(storage.roleName).toBeUndefined();
    expect(storage.parentKey).toBe('Workloads/Production');
  });

  test('an account without id gets no account stack, and a notice says why', () => {
    const { plan } = planOf(MANAGED_TEXT);
    expect(plan.stacks.map((s) => s.id)).not.toContain('account-analytics');
    expect(plan.stacks.map((s) => s.id)).toContain('account-storage');
    const notice = plan.notices.find((d) => formatKeyPath(d.path) === 'accounts.analytics');
    expect(notice?.severity).toBe('notice');
    expect(notice?.message).toMatch(/no id yet/);
  });

  test('SCPs: one baseline on every member account, one services SCP per account with services, none on the master', () => {
    const { org } = planOf(MANAGED_TEXT);
    const baseline = org.policies.find((p) => p.key === MEMBER_BASELINE_SCP)!;
    expect(baseline.targets).toEqual(['analytics', 'development', 'production', 'sandbox', 'storage']);
    const actions = baseline.document.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(expect.arrayContaining([...DENIED_IAM_USER_ACTIONS, 'organizations:LeaveOrganization', '*']));
    expect(org.policies.map((p) => p.key)).toEqual([
      MEMBER_BASELINE_SCP,
      'member-perimeter',
      servicesScpKey('analytics'),
      servicesScpKey('storage'),
    ]);
    expect(org.policies.find((p) => p.key === 'member-perimeter')).toMatchObject({
      type: 'RESOURCE_CONTROL_POLICY',
      targets: baseline.targets,
    });
    for (const p of org.policies) expect(p.targets).not.toContain('master');
  });

  test('every SCP fits the quota, and no account carries more than 5 with FullAWSAccess', () => {
    const { org } = planOf(MANAGED_TEXT);
    for (const p of org.policies) expect(policySize(p.document)).toBeLessThanOrEqual(ORGANIZATIONS_QUOTAS.scpChars);
    for (const account of org.accounts) {
      const count = 1 + org.policies.filter((p) => p.type !== 'RESOURCE_CONTROL_POLICY' && p.targets.includes(account.key)).length;
      expect(count).toBeLessThanOrEqual(ORGANIZATIONS_QUOTAS.scpsPerTarget);
    }
  });

  test('services SCP: the deploy role exemption only covers services the account is not allowed anyway', () => {
    const withIam = servicesScp(['iam', 's3'], 'Deployer');
    // iam is allowed to everyone: no statement may deny role management to anyone.
    expect(withIam.Statement.map((s) => s.Sid)).toEqual(['DenyServicesOutsideAllowList']);
    expect(withIam.Statement[0].NotAction).toEqual(
      ['iam:*', 's3:*', ...ALWAYS_ALLOWED_ACTIONS.filter((a) => !a.startsWith('iam:'))].sort(),
    );
    const s3Only = servicesScp(['s3'], 'Deployer');
    expect(s3Only.Statement[1].Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Deployer' } });
    expect(s3Only.Statement[1].Action).toContain('iam:CreateRole');
    expect(s3Only.Statement[1].Action).not.toContain('iam:CreateUser');
    // Reads are always allowed (ALWAYS_ALLOWED_ACTIONS): no need to exempt them, and nobody is denied them.
    expect(s3Only.Statement[1].Action).not.toContain('iam:GetRole');
  });

  test('adding an account and an OU changes no other key, and no other content but the baseline attachment list', () => {
    const before = planOf(MANAGED_TEXT).org;
    const after = planOf(
      variant((org) => {
        org.accounts.research = { email: 'aws+research@acme.example', ou: 'Research/Lab', services: ['sagemaker'] };
      }),
    ).org;
    const added = keys(after).filter((k) => !keys(before).includes(k));
    expect(keys(after)).toEqual(expect.arrayContaining(keys(before)));
    expect(added.sort()).toEqual(
      [
        'ou/Research',
        'ou/Research/Lab',
        'account/research',
        'scp/services-research',
        'scp/services-research/attach/research',
        'scp/member-baseline/attach/research',
        'scp/member-perimeter/attach/research',
      ].sort(),
    );
    // Everything that existed is planned exactly as before.
    expect(after.organizationalUnits.filter((u) => !u.key.startsWith('Research'))).toEqual(before.organizationalUnits);
    expect(after.accounts.filter((a) => a.key !== 'research')).toEqual(before.accounts);
    const unchangedPolicies = (o: OrganizationStackPlan) =>
      o.policies.map((p) => ({ ...p, targets: p.targets.filter((t) => t !== 'research') }));
    expect(unchangedPolicies(after).filter((p) => p.key !== servicesScpKey('research'))).toEqual(unchangedPolicies(before));
  });

  test('the plan does not depend on the order of keys in the file', () => {
    const reversed = variant((org) => {
      org.accounts = Object.fromEntries(Object.entries(org.accounts).reverse());
    });
    expect(planOf(reversed).org).toEqual(planOf(MANAGED_TEXT).org);
  });
});

describe('organization checks', () => {
  test.each([
    ['/Workloads', /starts or ends with "\/"/, 'did you mean "Workloads"?'],
    ['Workloads/', /starts or ends with "\/"/, 'did you mean "Workloads"?'],
    ['Workloads//Production', /empty OU name/, 'did you mean "Workloads/Production"?'],
    ['Work*loads', /characters rolecall does not accept/, undefined],
    [' Workloads', /characters rolecall does not accept/, undefined],
    [`W${'x'.repeat(128)}`, /129 characters long/, undefined],
    ['A/B/C/D/E/F', /6 levels deep/, undefined],
  ])('OU path %j is refused', (ou, message, fix) => {
    const problem = ouPathProblem(ou);
    expect(problem?.message).toMatch(message);
    expect(problem?.fix).toBe(fix);
  });

  test.each(['Workloads', 'Workloads/Production', 'Dev Team/R&D (EU)', 'A/B/C/D/E', 'x'.repeat(128)])('OU path %j is accepted', (ou) => {
    expect(ouPathProblem(ou)).toBeUndefined();
  });

  test('a bad OU path is reported at its key, with file, line and column', () => {
    const text = MANAGED_TEXT.replace('ou: Sandbox', 'ou: Sandbox/');
    const [error] = errorsAt(diagnosticsOf(text), 'accounts.sandbox.ou');
    expect(error).toBeDefined();
    const line = text.split('\n').findIndex((l) => l.includes('ou: Sandbox/')) + 1;
    expect(formatDiagnostic(error)).toContain(`org-managed.yaml:${line}:5: error RC310: accounts.sandbox.ou: invalid OU path "Sandbox/"`);
  });

  test('an adopted account without email is an error: the provider needs one to adopt it', () => {
    const text = variant((org) => {
      delete org.accounts.storage.email;
    });
    expect(errorsAt(diagnosticsOf(text), 'accounts.storage').map((d) => d.message)).toEqual([
      'account "storage" has no email, which the organization stack needs to adopt it',
    ]);
  });

  test('an account with neither id nor email is refused once (by the model)', () => {
    const text = variant((org) => {
      delete org.accounts.analytics.email;
    });
    const errors = errorsAt(diagnosticsOf(text), 'accounts.analytics');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/neither id nor email/);
  });

  test('manage: true without organization ids is refused (by the model, not twice)', () => {
    const text = variant((org) => {
      delete org.organization.id;
      delete org.organization.rootId;
    });
    const errors = diagnosticsOf(text).filter((d) => d.severity === 'error' && d.message.includes('organization.'));
    expect(errors.map((d) => d.message).sort()).toEqual([
      'organization.manage is true, but organization.id is missing',
      'organization.manage is true, but organization.rootId is missing',
    ]);
  });

  test('duplicate emails are refused once', () => {
    const text = variant((org) => {
      org.accounts.analytics.email = 'AWS+storage@acme.example';
    });
    const errors = diagnosticsOf(text).filter((d) => d.severity === 'error' && /email/.test(d.message));
    expect(errors).toHaveLength(1);
    expect(formatKeyPath(errors[0].path)).toMatch(/^accounts\.(analytics|storage)\.email$/);
  });

  test('an SCP over 5,120 characters is an error at the services list', () => {
    const every = listServices();
    expect(policySize(servicesScp(every, 'OrganizationAccountAccessRole'))).toBeGreaterThan(ORGANIZATIONS_QUOTAS.scpChars);
    const text = variant((org) => {
      org.accounts.storage.services = every;
    });
    const [error] = errorsAt(diagnosticsOf(text), 'accounts.storage.services');
    expect(error?.message).toMatch(
      // Issue 17: the message names the statement to move or shrink.
      /^service control policy "rolecall-services-storage": \d+ characters, over the AWS Organizations quota of 5120; its largest statement is DenyServicesOutsideAllowList$/,
    );
    expect(error?.fix).toBe('list fewer services');
  });

  test('more than 5 SCPs on one account (FullAWSAccess included) is an error', () => {
    const { model, org } = planOf(MANAGED_TEXT);
    const extra = [1, 2, 3, 4].map((n) => ({ ...org.policies[0], key: `extra-${n}`, name: `extra-${n}`, targets: ['storage'] }));
    const errors = checkOrganization(model, { ...org, policies: [...org.policies, ...extra] });
    expect(errors.map((d) => formatKeyPath(d.path))).toEqual(['accounts.storage']);
    expect(errors[0].message).toMatch(/7 service control policies \(FullAWSAccess, /);
  });

  test('an ou on the management account is refused: SCPs and moves are for member accounts', () => {
    const text = variant((org) => {
      org.accounts.master.ou = 'Management';
    });
    expect(errorsAt(diagnosticsOf(text), 'accounts.master.ou')).toHaveLength(1);
  });

  test('an account to create needs a name AWS accepts (50 characters)', () => {
    const long = `a${'b'.repeat(50)}`;
    const text = variant((org) => {
      org.accounts[long] = { email: 'aws+long@acme.example' };
    });
    expect(errorsAt(diagnosticsOf(text), `accounts.${long}`).map((d) => d.message)).toEqual([
      `account name "${long}" is 51 characters long, too long to create the account`,
    ]);
  });
});

/** For the unmanaged example: load and plan, nothing else. */
function planOfUnmanaged(text: string) {
  const loaded = loadOrgText(text, 'org.yaml');
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return { plan: buildPlan(loaded.model) };
}
