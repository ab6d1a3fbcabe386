/**
 * Issue 11 (real organisations), plan side: the identity account apart from
 * the management account (manage true and false), shared roles, machine
 * principals, identity permissions, aliases, custom SCPs, the password
 * policy, and config/org.yaml's addresses left exactly where they were.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { compileOrgFile, compileOrgText } from '../../src/plan/compile';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { loadOrgText } from '../../src/model/load';
import { buildAccessMatrix } from '../../src/plan/access';
import { externalPrincipals, FULL_AWS_ACCESS_SCP } from '../../src/plan/organization';
import { checkOrganization } from '../helpers/checks';
import type { OrgPlan, StackPlan } from '../../src/plan/types';
import { AccountStack } from '../../src/stacks/account-stack';
import { OrganizationStack } from '../../src/stacks/organization-stack';
import { renderAwsConfig } from '../../src/report/aws-config';
import { renderExplain } from '../../src/report/explain';
import { buildAccessReport } from '../../src/report/access-json';
import { renderAccessMarkdown } from '../../src/report/access-markdown';
import { resourceAddresses } from '../helpers/addresses';
import { diffAccess, renderAccessDiff } from '../../src/report/access-diff';

const ROOT = path.join(__dirname, '..', '..');
const LARGE = path.join(ROOT, 'config', 'org-large-company.yaml');

function compile(text: string): OrgPlan {
  const result = compileOrgText(text, 'org.yaml');
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map(formatDiagnostic).join('\n'));
  return result.plan!;
}

function stack(plan: OrgPlan, id: string): StackPlan {
  const found = plan.stacks.find((s) => s.id === id);
  if (!found) throw new Error(`no stack ${id} (have ${plan.stacks.map((s) => s.id).join(', ')})`);
  return found;
}

/** Management `mgmt`, people in `people`; `manage` toggles the organization stack. */
function apart(manage: boolean, extra = ''): string {
  return `version: 1
organization:
  name: acme
  region: eu-west-1
  master: mgmt
  identity: people
  manage: ${manage}
  id: o-abc123defg
  rootId: r-ab12
accounts:
  mgmt: { id: "111111111111" }
  people: { id: "222222222222", email: people@acme.example, ou: Core }
  production: { id: "333333333333", email: prod@acme.example, ou: Workloads }
permissions:
  admin: { managed: [AdministratorAccess] }
  logs: { managed: [CloudWatchLogsReadOnlyAccess] }
functions:
  ops:
    access:
      - accounts: [production, mgmt]
        permissions: admin
people:
  alice: { name: Alice, email: alice@acme.example, functions: [ops], console: true, pgpKey: keybase:alice }
${extra}`;
}

describe('config/org.yaml keeps every address (identity = master)', () => {
  const before = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'real-orgs', 'addresses-before.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  test.each(Object.keys(before))('%s: the same resource addresses as before issue 11', (file) => {
    expect(resourceAddresses(path.join(ROOT, file))).toEqual(before[file]);
  });

  test('the stack holding people is still `master`, on ambient credentials', () => {
    const plan = compileOrgFile(path.join(ROOT, 'config', 'org.yaml')).plan!;
    expect(plan.stacks[0]).toMatchObject({ id: 'master', kind: 'master', account: { name: 'master' } });
    expect(plan.stacks[0].provider.assumeRoleArn).toBeUndefined();
    expect(plan.stacks[0].passwordPolicy).toMatchObject({ minimumPasswordLength: 14, maxPasswordAge: 90, passwordReusePrevention: 24 });
  });
});

describe.each([false, true])('identity apart from the management account, manage: %s', (manage) => {
  const plan = compile(apart(manage));

  test('people, groups, RequireMFA and the password policy live in the `identity` stack, which assumes the deploy role', () => {
    const identity = stack(plan, 'identity');
    expect(identity.account).toEqual({ name: 'people', id: '222222222222' });
    expect(identity.users.map((u) => u.key)).toEqual(['alice']);
    expect(identity.groups.map((g) => g.key)).toEqual(['RequireMFA', 'ops']);
    expect(identity.passwordPolicy).toBeDefined();
    expect(identity.provider.assumeRoleArn).toBe('arn:aws:iam::222222222222:role/OrganizationAccountAccessRole');
    expect(plan.stacks.find((s) => s.id === 'master')).toBeUndefined();
  });

  test('the management account gets a member-like stack for its roles, on ambient credentials (no deploy role exists there)', () => {
    const mgmt = stack(plan, 'account-mgmt');
    expect(mgmt.provider.assumeRoleArn).toBeUndefined();
    expect(mgmt.provider.allowedAccountIds).toEqual(['111111111111']);
    expect(mgmt.users).toEqual([]);
    expect(mgmt.passwordPolicy).toBeUndefined();
    expect(mgmt.roles.map((r) => r.name)).toEqual(['ops']);
    expect(stack(plan, 'account-production').provider.assumeRoleArn).toBe('arn:aws:iam::333333333333:role/OrganizationAccountAccessRole');
  });

  test('every role trusts the identity account, not the management account', () => {
    for (const s of plan.stacks) {
      for (const role of s.roles) expect(role.trustPolicy.Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::222222222222:root' });
    }
  });

  test("RequireMFA names the identity account's MFA devices", () => {
    const doc = JSON.stringify(stack(plan, 'identity').groups[0].policies[0].document);
    expect(doc).toContain('arn:aws:iam::222222222222:mfa/*');
    expect(doc).not.toContain('111111111111');
  });

  if (manage) {
    test('the organization stack stays in the management account and treats the identity account as a member', () => {
      const org = plan.organizationStack!;
      expect(org.account).toEqual({ name: 'mgmt', id: '111111111111' });
      expect(org.provider.allowedAccountIds).toEqual(['111111111111']);
      expect(org.provider.assumeRoleArn).toBeUndefined();
      expect(org.accounts.map((a) => a.key)).toEqual(['people', 'production']);
      expect(org.accounts.find((a) => a.key === 'people')).toMatchObject({ importId: '222222222222', parentKey: 'Core' });
      const targets = Object.fromEntries(org.policies.map((p) => [p.key, p.targets]));
      // The RCP (issue 7) applies to every member, the identity account included.
      expect(targets).toEqual({
        'member-baseline': ['production'],
        'identity-baseline': ['people'],
        'member-perimeter': ['people', 'production'],
      });
      for (const p of org.policies) expect(p.targets).not.toContain('mgmt');
    });

    test('the identity baseline lets only the deploy role create people; leaving and root stay denied', () => {
      const doc = plan.organizationStack!.policies.find((p) => p.key === 'identity-baseline')!.document;
      expect(doc.Statement.map((s) => s.Sid)).toEqual([
        'DenyIamUsersExceptDeployRole',
        'DenyNewIdentityPerimeterExceptDeployRole',
        // Issue 17: the machinery is protected and Cognito identity pools denied in the identity account too.
        'ProtectRolecallMachineryExceptDeployRole',
        'DenyCognitoIdentityPools',
        'DenyLeavingTheOrganization',
        'DenyRootUser',
      ]);
      expect(doc.Statement[0].Condition).toEqual({
        ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' },
      });
    });

    test('the organization stack synthesizes no import of the management account', () => {
      const json = JSON.parse(Testing.synth(new OrganizationStack(Testing.app(), 'organization', { plan: plan.organizationStack! })));
      expect((json.import ?? []).map((i: { id: string }) => i.id).sort()).toEqual(['222222222222', '333333333333']);
    });
  } else {
    test('no organization stack', () => expect(plan.organizationStack).toBeUndefined());
  }
});

describe('shared roles', () => {
  const text = apart(
    false,
    `  bob: { name: Bob, email: bob@acme.example, functions: [dev] }
  carol: { name: Carol, email: carol@acme.example, functions: [audit], accessKey: true, pgpKey: keybase:carol }
`,
  ).replace(
    `people:
  alice`,
    `  dev:
    mfaMaxAge: 12h
    principals: ["arn:aws:iam::999999999999:role/ci"]
    access:
      - accounts: [production]
        permissions: logs
        role: readonly
  audit:
    access:
      - accounts: [production]
        permissions: logs
        role: readonly
people:
  alice`,
  );
  const plan = compile(text);
  const prod = stack(plan, 'account-production');

  test('one role per name, keyed by the role name (construct id role-<name>), listing every function naming it', () => {
    expect(prod.roles.map((r) => [r.key, r.functions])).toEqual([
      ['ops', ['ops']],
      ['readonly', ['audit', 'dev']],
    ]);
    const json = JSON.parse(Testing.synth(new AccountStack(Testing.app(), 'account-production', { plan: prod })));
    expect(Object.keys(json.resource.aws_iam_role).sort()).toEqual(['role-ops', 'role-readonly']);
  });

  test("its trust: the identity account with MFA up to the most lenient function's age, plus the named principals without MFA", () => {
    const trust = prod.roles.find((r) => r.key === 'readonly')!.trustPolicy;
    expect(trust.Statement).toHaveLength(2);
    expect(trust.Statement[0].Condition!.NumericLessThan).toEqual({ 'aws:MultiFactorAuthAge': String(12 * 3600) });
    expect(trust.Statement[1]).toEqual({
      Sid: 'AssumeFromNamedPrincipals',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::999999999999:role/ci' },
      Action: 'sts:AssumeRole',
    });
  });

  test('each group may assume it, each with its own MFA age', () => {
    const groups = Object.fromEntries(stack(plan, 'identity').groups.map((g) => [g.key, g]));
    for (const [fn, age] of [
      ['dev', 12 * 3600],
      ['audit', 3600],
    ] as const) {
      const statement = groups[fn].policies[0].document.Statement[0];
      expect(statement.Resource).toEqual(['arn:aws:iam::333333333333:role/readonly']);
      expect(statement.Condition!.NumericLessThan).toEqual({ 'aws:MultiFactorAuthAge': String(age) });
    }
  });

  test('matrix, explain and aws-config show the role and the functions sharing it; the principal is listed', () => {
    const model = loadOrgText(text, 'org.yaml').model!;
    const matrix = buildAccessMatrix(model);
    const cell = matrix.cell('bob', 'production');
    expect(cell.roles).toEqual(['readonly']);
    expect(cell.paths[0]).toMatchObject({ kind: 'function', function: 'dev', role: 'readonly', roleFunctions: ['audit', 'dev'] });
    expect(renderExplain(matrix, cell)).toContain('shared: role readonly is shared by functions audit, dev');
    expect(renderExplain(matrix, cell)).toContain('arn:aws:iam::999999999999:role/ci -> role readonly (function dev): read');
    expect(matrix.principals).toEqual([
      expect.objectContaining({
        kind: 'principal',
        principal: 'arn:aws:iam::999999999999:role/ci',
        function: 'dev',
        account: 'production',
        role: 'readonly',
        level: 'read',
      }),
    ]);
    const md = renderAccessMarkdown(buildAccessReport(matrix));
    expect(md).toContain('## Machine principals');
    expect(md).toContain('arn:aws:iam::333333333333:role/readonly (shared by audit, dev)');
    const config = renderAwsConfig(plan, 'carol');
    expect(config).toContain('[profile acme-production-readonly]\nrole_arn = arn:aws:iam::333333333333:role/readonly');
    expect(config).toContain('# role readonly on production, through function audit');
    expect(config).toContain('mfa_serial = arn:aws:iam::222222222222:mfa/carol');
  });
});

describe('identity permissions, alias, password policy', () => {
  const text = apart(false, '')
    .replace('  ops:\n', '  ops:\n    identityPermissions: [billing, keys]\n')
    .replace(
      '  logs: {',
      '  billing: { managed: [AWSBillingReadOnlyAccess] }\n  keys: { statements: [{ actions: ["iam:ListAccessKeys"], resources: ["*"] }] }\n  logs: {',
    )
    .replace(
      '  mgmt: { id: "111111111111" }',
      '  mgmt: { id: "111111111111", alias: acme-management }\n  spare: { id: "444444444444", email: spare@acme.example, alias: acme-spare }',
    )
    .replace('  people: { id: "222222222222",', '  people: { alias: acme-people, id: "222222222222",')
    .replace('  manage: false\n', '  manage: false\n  passwordPolicy: { minimumLength: 20, maxAge: 365, reusePrevention: 5 }\n');
  const plan = compile(text);

  test('identityPermissions: AWS managed policies attached to the group, statements as a customer managed policy', () => {
    const ops = stack(plan, 'identity').groups.find((g) => g.key === 'ops')!;
    expect(ops.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess']);
    expect(ops.policies.map((p) => p.name)).toEqual(['ops-assume-roles-1', 'ops-identity-keys']);
    const json = JSON.parse(Testing.synth(new AccountStack(Testing.app(), 'identity', { plan: stack(plan, 'identity') })));
    const attachments = Object.values(json.resource.aws_iam_group_policy_attachment as Record<string, { policy_arn: string }>).map(
      (a) => a.policy_arn,
    );
    expect(attachments).toContain('arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess');
  });

  test('the matrix shows identity permissions as access on the identity account, through the group', () => {
    const matrix = buildAccessMatrix(loadOrgText(text, 'org.yaml').model!);
    const cell = matrix.cell('alice', 'people');
    // ops also holds admin on the management account, so it reaches people transitively too; the group path is the direct one.
    expect(cell.paths.filter((p) => p.kind === 'function')).toEqual([
      expect.objectContaining({ kind: 'function', function: 'ops', groupPolicy: true, role: '' }),
    ]);
    expect(cell.level).not.toBe('none');
    expect(cell.roles).toEqual([]);
    expect(renderExplain(matrix, cell)).toContain("role:  none: the group's own policies in the identity account (identityPermissions)");
  });

  test("an alias goes into its account's stack; an account with an alias and no roles still gets one", () => {
    expect(stack(plan, 'identity').alias).toBe('acme-people');
    expect(stack(plan, 'account-mgmt').alias).toBe('acme-management');
    const spare = stack(plan, 'account-spare');
    expect(spare.roles).toEqual([]);
    expect(spare.alias).toBe('acme-spare');
    const json = JSON.parse(Testing.synth(new AccountStack(Testing.app(), 'account-spare', { plan: spare })));
    expect(json.resource.aws_iam_account_alias).toEqual({ 'account-alias': { account_alias: 'acme-spare' } });
  });

  test("the password policy takes the file's values", () => {
    expect(stack(plan, 'identity').passwordPolicy).toMatchObject({
      minimumPasswordLength: 20,
      maxPasswordAge: 365,
      passwordReusePrevention: 5,
    });
  });
});

describe('custom SCPs', () => {
  const scps = (names: string[]) =>
    apart(
      true,
      `scps:\n${names.map((n) => `  ${n}:\n    accounts: "*"\n    statements:\n      - notActions: ["iam:*", "sts:*"]\n        conditions: { StringNotEquals: { "aws:RequestedRegion": [eu-west-1] } }\n`).join('')}`,
    );

  test('attached to the member accounts they select (never the management account), statements rendered sorted', () => {
    const plan = compile(scps(['region-lock']));
    const policy = plan.organizationStack!.policies.find((p) => p.key === 'custom-region-lock')!;
    expect(policy.name).toBe('rolecall-custom-region-lock');
    expect(policy.targets).toEqual(['production']); // "*" leaves out the management and identity accounts
    expect(policy.document.Statement).toEqual([
      {
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:*'],
        Resource: ['*'],
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
      },
    ]);
  });

  test('quota: counted with the built-in SCPs and FullAWSAccess, 5 per target', () => {
    const result = compileOrgText(scps(['a', 'b', 'c', 'd']), 'org.yaml');
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('production');
    expect(errors[0]).toContain(FULL_AWS_ACCESS_SCP);
    expect(compileOrgText(scps(['a', 'b', 'c']), 'org.yaml').plan).toBeDefined();
  });

  test('quota: a custom SCP over 5,120 characters is located at it', () => {
    const long = Array.from({ length: 300 }, (_, i) => `"arn:aws:s3:::bucket-number-${i}"`).join(', ');
    const text = apart(
      true,
      `scps:\n  big:\n    accounts: [production]\n    statements:\n      - actions: ["s3:DeleteBucket"]\n        resources: [${long}]\n`,
    );
    const result = compileOrgText(text, 'org.yaml');
    const model = loadOrgText(text, 'org.yaml').model!;
    expect(result.plan).toBeUndefined();
    expect(checkOrganization(model, undefined)).toEqual([]); // without a stack nothing is checked
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.path)).toEqual([['scps', 'big']]);
    expect(errors[0].message).toContain('rolecall-custom-big');
  });
});

describe('externalPrincipals (for the resource control policy)', () => {
  test("names only principals outside the organisation's accounts, sorted and unique", () => {
    const model = loadOrgText(readFileSync(LARGE, 'utf8'), 'org.yaml').model!;
    expect(externalPrincipals(model)).toEqual(['arn:aws:iam::200000000001:role/partner-deployer']);
  });

  test('the resource control policy exempts exactly those', () => {
    const rcp = compileOrgFile(LARGE).plan!.organizationStack!.policies.find((p) => p.key === 'member-perimeter')!;
    const [assume, webIdentity] = rcp.document.Statement;
    expect(JSON.stringify(assume)).toContain('arn:aws:iam::200000000001:role/partner-deployer');
    expect(JSON.stringify(assume)).not.toContain('github-actions/deploy'); // inside the organisation: the RCP never denies it
    // Issue 17: the CI's OIDC role in tooling is the one web identity role the file names, so tokens may reach it.
    expect(webIdentity).toMatchObject({
      Sid: 'DenyWebIdentityFromOtherIssuers',
      NotResource: ['arn:aws:iam::100000000004:role/github-actions/deploy'],
    });
  });
});

describe('the large-company example', () => {
  const result = compileOrgFile(LARGE);
  const plan = result.plan!;

  test('compiles without errors, identity and management apart', () => {
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.stacks.map((s) => s.id)).toEqual([
      'identity',
      'account-development',
      'account-logs',
      'account-management',
      'account-production',
      'account-sandbox',
      'account-security',
      'account-staging',
      'account-tooling',
    ]);
    expect(stack(plan, 'account-management')).toMatchObject({ roles: [], alias: 'globex-management' });
    expect(stack(plan, 'account-management').provider.assumeRoleArn).toBeUndefined();
    expect(plan.organizationStack!.account.name).toBe('management');
  });

  test('the CI principals are guardrail-checked: granting ci production breaks "CI never touches production"', () => {
    const text = readFileSync(LARGE, 'utf8').replace(
      '      - accounts: [staging, development, sandbox]\n        permissions: admin\n        role: terraform',
      '      - accounts: [staging, development, sandbox, production]\n        permissions: admin\n        role: terraform',
    );
    const errors = compileOrgText(text, 'org.yaml')
      .diagnostics.filter((d) => d.severity === 'error')
      .map(formatDiagnostic);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.every((e) => e.includes('guardrail "CI never touches production" breached: principal arn:aws:iam::'))).toBe(true);
  });
});

test('the access diff names a machine principal that gains access', () => {
  const text = readFileSync(LARGE, 'utf8');
  const widened = text.replace(
    '      - accounts: [staging, development, sandbox]\n        permissions: admin\n        role: terraform',
    '      - accounts: [staging, development, sandbox, tooling]\n        permissions: admin\n        role: terraform',
  );
  expect(widened).not.toBe(text);
  const before = buildAccessMatrix(loadOrgText(text, 'org.yaml').model!);
  const after = buildAccessMatrix(loadOrgText(widened, 'org.yaml').model!);
  const rendered = renderAccessDiff(diffAccess(before, after), 'main');
  expect(rendered).toContain('principal arn:aws:iam::100000000004:role/github-actions/deploy gains admin on tooling: through function ci');
  expect(rendered).toContain('principal arn:aws:iam::200000000001:role/partner-deployer gains admin on tooling: through function ci');
  // Issue 16 (intended): the third change was a join path (ada, who could join ci, keeping admin on tooling);
  // joins are the engine's chains now, recorded only where they reach more.
  expect(rendered.split('\n')[0]).toBe('Access changes against main: 2 changes (2 gains, 0 losses, 0 other)');
});

test('identity permissions are guardrail-checked like any access on the identity account', () => {
  const rail = '  - name: finance only lists in identity\n    functions: [finance]\n    accounts: [identity]\n    maxAccess: list\n';
  const text = readFileSync(LARGE, 'utf8').replace('\npipelines:', `\n${rail}\npipelines:`);
  const errors = compileOrgText(text, 'org.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(
    'guardrail "finance only lists in identity" breached: fin has read on account identity through function finance',
  );
});

test('a trust policy over 2,048 characters because of its principals is located at them', () => {
  const many = Array.from({ length: 40 }, (_, i) => `"arn:aws:iam::${String(900000000000 + i)}:role/deployer"`).join(', ');
  const text = apart(false).replace('  ops:\n', `  ops:\n    principals: [${many}]\n`);
  const errors = compileOrgText(text, 'org.yaml').diagnostics.filter((d) => d.severity === 'error');
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.map((e) => e.path)).toEqual(errors.map(() => ['functions', 'ops', 'principals']));
  expect(errors[0].message).toContain('trust policy');
});
