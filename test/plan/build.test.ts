import { readFileSync } from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { compileOrgText } from '../../src/plan/compile';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { MANAGED_POLICY_MAX_CHARS } from '../../src/plan/build';
import { policySize } from '../../src/plan/policies';
import type { OrgPlan, StackPlan } from '../../src/plan/types';
import { bigOrg } from '../helpers/big-org';
import { generateOrgYaml } from '../../bench/gen';

const EXAMPLE = path.join(__dirname, '..', '..', 'config', 'org.yaml');
const exampleText = readFileSync(EXAMPLE, 'utf8');

function compile(text: string, file = 'org.yaml'): OrgPlan {
  const result = compileOrgText(text, file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map(formatDiagnostic).join('\n'));
  return result.plan!;
}

function stack(plan: OrgPlan, id: string): StackPlan {
  const found = plan.stacks.find((s) => s.id === id);
  if (!found) throw new Error(`no stack ${id}`);
  return found;
}

/** Every construct key in the plan, as stack/kind/key paths: what Terraform addresses derive from. */
function keys(plan: OrgPlan): string[] {
  return plan.stacks.flatMap((s) => [
    ...s.users.map((u) => `${s.id}/user/${u.key}`),
    ...s.groups.flatMap((g) => [`${s.id}/group/${g.key}`, ...g.policies.map((p) => `${s.id}/group/${g.key}/${p.key}`)]),
    ...s.roles.flatMap((r) => [
      `${s.id}/role/${r.key}`,
      ...r.managedPolicyArns.map((a) => `${s.id}/role/${r.key}/${a}`),
      ...r.inlinePolicies.map((p) => `${s.id}/role/${r.key}/inline/${p.key}`),
    ]),
  ]);
}

/** Rewrites the YAML with every mapping's keys in reverse order (comments dropped). */
function reverseKeys(text: string): string {
  const reverse = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reverse);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .reverse()
          .map(([k, v]) => [k, reverse(v)]),
      );
    }
    return value;
  };
  return parseDocument(JSON.stringify(reverse(parseDocument(text).toJS()))).toString();
}

describe('plan of the example organisation', () => {
  const plan = compile(exampleText);

  test('one master stack and one stack per member account with a granted function', () => {
    expect(plan.stacks.map((s) => s.id)).toEqual([
      'master',
      'account-development',
      'account-production',
      'account-sandbox',
      'account-storage',
    ]);
  });

  test('master holds people, one group per function plus RequireMFA, and the auditors role granted on master', () => {
    const master = stack(plan, 'master');
    expect(master.users.map((u) => u.key)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'frank']);
    expect(master.groups.map((g) => g.key)).toEqual(['RequireMFA', 'auditors', 'developers', 'network', 'operations']);
    expect(master.users.find((u) => u.key === 'bob')!.groups).toEqual(['RequireMFA', 'auditors', 'developers']);
    expect(master.roles.map((r) => r.key)).toEqual(['auditors']);
    expect(master.provider.assumeRoleArn).toBeUndefined();
    expect(master.passwordPolicy).toMatchObject({ minimumPasswordLength: 14, passwordReusePrevention: 24, maxPasswordAge: 90 });
  });

  test('login profile and access key only where asked, always with the PGP key', () => {
    const users = Object.fromEntries(stack(plan, 'master').users.map((u) => [u.key, u]));
    expect(users.alice.loginProfile?.pgpKey).toBe('keybase:alice');
    expect(users.alice.accessKey?.pgpKey).toBe('keybase:alice');
    expect(users.dave.loginProfile).toBeUndefined();
    expect(users.dave.accessKey).toEqual({ pgpKey: 'keybase:dave' });
    expect(users.carol.accessKey).toBeUndefined();
  });

  // Issue 16 finding 8: the person statement admits rolecall's users only (aws:PrincipalArn under /rolecall/), not the whole account.
  test('a function role trusts only the master account, with fresh MFA and the user name as session name', () => {
    const role = stack(plan, 'account-production').roles.find((r) => r.key === 'operations')!;
    expect(role.arn).toBe('arn:aws:iam::222222222222:role/operations');
    expect(role.maxSessionDuration).toBe(3600);
    expect(role.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AssumeFromMasterWithMfa',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'sts:AssumeRole',
          Condition: {
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' },
            StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/rolecall/*' },
          },
        },
      ],
    });
  });

  test('developers: 12h MFA age, logs everywhere but master, admin only in non-production', () => {
    const dev = (id: string) => stack(plan, id).roles.find((r) => r.key === 'developers')!;
    expect(dev('account-production').managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess']);
    expect(dev('account-sandbox').managedPolicyArns).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess',
    ]);
    expect(dev('account-sandbox').trustPolicy.Statement[0].Condition!.NumericLessThan).toEqual({ 'aws:MultiFactorAuthAge': '43200' });
    expect(dev('account-sandbox').maxSessionDuration).toBe(4 * 3600);
    expect(stack(plan, 'master').roles.some((r) => r.key === 'developers')).toBe(false);
  });

  test('statements become one inline policy per permission set; managed parts become attachments', () => {
    const network = stack(plan, 'account-production').roles.find((r) => r.key === 'network')!;
    expect(network.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/job-function/NetworkAdministrator']);
    expect(network.inlinePolicies.map((p) => p.key)).toEqual(['network-admin']);
    expect(network.inlinePolicies[0].document.Statement[0]).toMatchObject({ Sid: 'FlowLogs', Effect: 'Allow', Resource: ['*'] });
  });

  test("a group's policy allows sts:AssumeRole on exactly its roles' ARNs, only with MFA", () => {
    const operations = stack(plan, 'master').groups.find((g) => g.key === 'operations')!;
    expect(operations.policies.map((p) => p.name)).toEqual(['operations-assume-roles-1']);
    expect(operations.policies[0].document.Statement).toEqual([
      {
        Sid: 'AssumeOperationsRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: [
          'arn:aws:iam::222222222222:role/operations',
          'arn:aws:iam::333333333333:role/operations',
          'arn:aws:iam::444444444444:role/operations',
          'arn:aws:iam::555555555555:role/operations',
        ],
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
      },
    ]);
  });

  test('member stacks assume the deploy role; every provider is pinned to its account', () => {
    const prod = stack(plan, 'account-production');
    expect(prod.provider).toEqual({
      region: 'eu-west-1',
      assumeRoleArn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      allowedAccountIds: ['222222222222'],
      defaultTags: { 'cost-center': 'platform', ManagedBy: 'rolecall', Organization: 'acme' },
    });
  });

  test('environment credentials: no provider assumes a role', () => {
    const env = compile(exampleText.replace('credentials: assume-role', 'credentials: environment'));
    expect(env.stacks.every((s) => s.provider.assumeRoleArn === undefined)).toBe(true);
  });
});

describe('determinism and stable keys', () => {
  test('the same file with every mapping reordered gives the same stacks', () => {
    const a = compile(exampleText);
    const b = compile(reverseKeys(exampleText));
    expect(JSON.stringify(b.stacks)).toBe(JSON.stringify(a.stacks));
  });

  test('adding an account, a function and a person changes no existing key', () => {
    const before = keys(compile(exampleText));
    const grown = exampleText
      .replace(
        '\npermissions:\n',
        '\n  analytics:\n    id: "666666666666"\n    data: internal\n    environment: production\n\npermissions:\n',
      )
      .replace('\npeople:\n', '\n  analysts:\n    access:\n      analytics: read-only\n\npeople:\n')
      .replace(
        '\nguardrails:\n',
        '\n  zoe:\n    name: Zoe Analyst\n    email: zoe@acme.example\n    functions: [analysts]\n\nguardrails:\n',
      );
    const after = keys(compile(grown));
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.filter((k) => !before.includes(k)).sort()).toEqual([
      'account-analytics/role/analysts',
      'account-analytics/role/analysts/arn:aws:iam::aws:policy/ReadOnlyAccess',
      'account-analytics/role/analysts/inline/read-only',
      // developers hold logs-read on every member account ("*"): the new one too
      'account-analytics/role/developers',
      'account-analytics/role/developers/arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess',
      'master/group/analysts',
      'master/group/analysts/analysts-assume-roles-1',
      'master/user/zoe',
    ]);
  });

  test('removing a person removes only that person', () => {
    const before = keys(compile(exampleText));
    const without = exampleText.replace(/\n {2}dave:\n( {4}.*\n)+/, '\n');
    const after = keys(compile(without));
    expect(before.filter((k) => !after.includes(k))).toEqual(['master/user/dave']);
    expect(after.every((k) => before.includes(k))).toBe(true);
  });
});

describe('a group granted in 300 accounts', () => {
  const plan = compile(bigOrg(300));
  const group = stack(plan, 'master').groups.find((g) => g.key === 'everywhere')!;

  test('is split into customer managed policies, each within the 6,144-character quota', () => {
    expect(group.policies.length).toBeGreaterThan(1);
    expect(group.policies.length).toBeLessThanOrEqual(10);
    for (const policy of group.policies) expect(policySize(policy.document)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);
    expect(group.policies.map((p) => p.key)).toEqual(group.policies.map((_, i) => `everywhere-assume-roles-${i + 1}`));
  });

  test('each part is filled greedily: one more ARN from the next part would break the margin (the size is summed, not re-serialized)', () => {
    const limit = MANAGED_POLICY_MAX_CHARS - 64;
    const resources = group.policies.map((p) => p.document.Statement[0].Resource as string[]);
    for (let i = 0; i < group.policies.length; i++) {
      expect(policySize(group.policies[i].document)).toBeLessThanOrEqual(limit);
      if (i + 1 < group.policies.length) {
        const statement = { ...group.policies[i].document.Statement[0], Resource: [...resources[i], resources[i + 1][0]].sort() };
        expect(policySize({ ...group.policies[i].document, Statement: [statement] })).toBeGreaterThan(limit);
      }
    }
  });

  test('whose parts together name every role exactly once, under the role path', () => {
    const arns = group.policies.flatMap((p) => p.document.Statement.flatMap((s) => s.Resource as string[]));
    expect(arns).toHaveLength(300);
    expect(new Set(arns).size).toBe(300);
    expect(arns[0]).toBe('arn:aws:iam::100000000001:role/people-roles/everywhere');
  });
});

describe('IAM quotas, checked before anything is written', () => {
  test('a function granted in more accounts than 10 policies can name is a located error', () => {
    const result = compileOrgText(bigOrg(1200), 'big.yaml');
    expect(result.plan).toBeUndefined();
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^big\.yaml:\d+:\d+: error RC402: functions\.everywhere\.access: policies attached to group "everywhere"/);
    expect(errors[0]).toContain('over the IAM quota of 10');
  });

  // Issue 12 (the check is issue 7's): IAM allows 5,000 users per account; 5,001 people fail validate, located, once.
  test('more people than IAM allows users in one account is a located quota error; 5,000 pass', () => {
    const org = (people: number) => generateOrgYaml({ accounts: 30, functions: 3, people, seed: 1 });
    const over = compileOrgText(org(5001), 'org.yaml');
    expect(over.plan).toBeUndefined();
    const errors = over.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^org\.yaml:\d+:1: error RC408: people: 5,001 people, but an AWS account holds at most 5,000 IAM users/);
    expect(errors[0]).toContain('identity provider');
    expect(compileOrgText(org(5000), 'org.yaml').plan).toBeDefined();
  }, 60000);
});
