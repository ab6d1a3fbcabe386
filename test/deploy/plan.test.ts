/**
 * The deploy plan (src/plan/deploy.ts): backends, providers, workspaces,
 * the plan and apply roles and what they may do, the bootstrap stack, and
 * the apply credentials the access model counts.
 */
import { accessLevelOf, actionExists, expandActionPattern, hasWildcard } from '../../src/iam/actions';
import { applyCredentials, DEPLOY_ROLE_PATH, type DeployRolePlan } from '../../src/plan/deploy';
import type { PolicyDocument } from '../../src/plan/types';
import { COMBINATIONS, MANAGED_TEXT, compiled, deployVariant, variant } from '../fixtures/deploy';

const MASTER = '111111111111';
const PRODUCTION = '222222222222';

function statementsActions(doc: PolicyDocument, effect: 'Allow' | 'Deny'): string[] {
  return doc.Statement.filter((s) => s.Effect === effect).flatMap((s) => (s.Action === undefined ? [] : [s.Action].flat()));
}

function allRoles(text: string): DeployRolePlan[] {
  return compiled(text).bootstrapStack!.accounts.flatMap((a) => a.roles);
}

describe('backends', () => {
  test.each(COMBINATIONS)('$backend + $credentials: every stack gets the backend deploy.backend names', ({ backend, credentials }) => {
    const plan = compiled(deployVariant(backend, credentials, MANAGED_TEXT));
    const stacks = [...plan.stacks, plan.organizationStack!];
    expect(stacks.map((s) => s.id)).toContain('organization');
    for (const stack of stacks) {
      if (backend === 'local') expect(stack.backend).toEqual({ kind: 'local', path: `../../../terraform-state/${stack.id}.tfstate` });
      if (backend === 's3') {
        expect(stack.backend).toEqual({
          kind: 's3',
          bucket: 'acme-tfstate',
          key: `rolecall/${stack.id}.tfstate`,
          region: 'eu-west-1',
          encrypt: true,
          useLockfile: true,
        });
      }
      if (backend === 'cloud') {
        expect(stack.backend).toEqual({ kind: 'cloud', organization: 'acme', project: 'aws-iam', workspace: `rolecall-${stack.id}` });
      }
    }
  });

  test('s3: kmsKeyId, the backend role and another region are passed through', () => {
    const plan = compiled(
      variant((org) => {
        org.deploy.backend = 's3';
        org.deploy.s3 = {
          bucket: 'acme-state',
          region: 'us-east-1',
          keyPrefix: '',
          kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          assumeRole: 'arn:aws:iam::666666666666:role/terraform-state',
        };
      }),
    );
    expect(plan.stacks[0].backend).toEqual({
      kind: 's3',
      bucket: 'acme-state',
      key: 'master.tfstate',
      region: 'us-east-1',
      encrypt: true,
      useLockfile: true,
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      assumeRoleArn: 'arn:aws:iam::666666666666:role/terraform-state',
    });
    expect(plan.bootstrapStack!.stateBucket).toMatchObject({
      bucket: 'acme-state',
      region: 'us-east-1',
      account: { name: 'master', id: MASTER },
    });
  });
});

describe('providers', () => {
  test.each(COMBINATIONS)(
    '$backend + $credentials: allowed_account_ids always; assume_role only with assume-role, in members',
    ({ backend, credentials }) => {
      const plan = compiled(deployVariant(backend, credentials));
      for (const stack of plan.stacks) {
        expect(stack.provider.allowedAccountIds).toEqual([stack.account.id]);
        const chained = credentials === 'assume-role' && stack.kind === 'account';
        expect(stack.provider.assumeRoleArn).toBe(
          chained ? `arn:aws:iam::${stack.account.id}:role/OrganizationAccountAccessRole` : undefined,
        );
      }
    },
  );
});

describe('workspaces', () => {
  test("cloud + tfc-dynamic: HCP Terraform variables name the stack's own plan and apply roles", () => {
    const plan = compiled(deployVariant('cloud', 'tfc-dynamic'));
    const production = plan.deploy.workspaces.find((w) => w.stack === 'account-production')!;
    expect(production).toEqual({
      stack: 'account-production',
      account: { name: 'production', id: PRODUCTION },
      workingDirectory: 'cdktf.out/stacks/account-production',
      backend: { kind: 'cloud', organization: 'acme', project: 'aws-iam', workspace: 'rolecall-account-production' },
      planRoleArn: `arn:aws:iam::${PRODUCTION}:role/rolecall-deploy/rolecall-account-production-plan`,
      applyRoleArn: `arn:aws:iam::${PRODUCTION}:role/rolecall-deploy/rolecall-account-production-apply`,
      cloud: {
        organization: 'acme',
        project: 'aws-iam',
        workspace: 'rolecall-account-production',
        executionMode: 'remote',
        env: {
          TFC_AWS_APPLY_ROLE_ARN: `arn:aws:iam::${PRODUCTION}:role/rolecall-deploy/rolecall-account-production-apply`,
          TFC_AWS_PLAN_ROLE_ARN: `arn:aws:iam::${PRODUCTION}:role/rolecall-deploy/rolecall-account-production-plan`,
          TFC_AWS_PROVIDER_AUTH: 'true',
        },
        triggerPatterns: ['/cdktf.out/stacks/account-production/**/*'],
      },
    });
    expect(plan.deploy.workspaces.map((w) => w.stack)).toEqual(plan.stacks.map((s) => s.id));
  });

  test('cloud + assume-role keeps state in HCP and runs locally; environment runs remotely with no rolecall variables', () => {
    const local = compiled(deployVariant('cloud', 'assume-role')).deploy.workspaces[0].cloud!;
    expect([local.executionMode, local.env]).toEqual(['local', {}]);
    const remote = compiled(deployVariant('cloud', 'environment')).deploy.workspaces[0].cloud!;
    expect([remote.executionMode, remote.env]).toEqual(['remote', {}]);
  });
});

describe('plan and apply roles (tfc-dynamic)', () => {
  const roles = allRoles(deployVariant('cloud', 'tfc-dynamic', MANAGED_TEXT));

  test('two roles per stack: master, organization (in master) and every member with an id', () => {
    expect(roles.map((r) => r.arn).sort()).toEqual(
      ['master', 'organization', 'account-development', 'account-production', 'account-sandbox', 'account-storage']
        .flatMap((stack) => {
          const account = {
            master: MASTER,
            organization: MASTER,
            'account-development': '444444444444',
            'account-production': PRODUCTION,
            'account-sandbox': '555555555555',
            'account-storage': '333333333333',
          }[stack]!;
          return ['plan', 'apply'].map((phase) => `arn:aws:iam::${account}:role${DEPLOY_ROLE_PATH}rolecall-${stack}-${phase}`);
        })
        .sort(),
    );
  });

  test("each trusts HCP Terraform's provider in its own account, the audience and the exact subject of its workspace and phase", () => {
    for (const role of roles) {
      const account = role.arn.split(':')[4];
      expect(role.trustPolicy).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: role.phase === 'plan' ? 'HcpTerraformPlanPhase' : 'HcpTerraformApplyPhase',
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/app.terraform.io` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'app.terraform.io:aud': 'aws.workload.identity',
                'app.terraform.io:sub': `organization:acme:project:aws-iam:workspace:rolecall-${role.stack}:run_phase:${role.phase}`,
              },
            },
          },
        ],
      });
      expect(JSON.stringify(role.trustPolicy)).not.toMatch(/\*|StringLike/);
    }
  });

  test('every action the roles name exists in the IAM catalog (patterns match something)', () => {
    for (const role of roles) {
      for (const action of [...statementsActions(role.policy, 'Allow'), ...statementsActions(role.policy, 'Deny')]) {
        if (action === 'iam:*') continue;
        if (hasWildcard(action)) expect([action, expandActionPattern(action).length > 0]).toEqual([action, true]);
        else expect([action, actionExists(action)]).toEqual([action, true]);
      }
    }
  });

  test('plan roles allow only list and read actions, and deny everything else', () => {
    for (const role of roles.filter((r) => r.phase === 'plan')) {
      const allowed = statementsActions(role.policy, 'Allow').flatMap((a) => expandActionPattern(a));
      expect(allowed.length).toBeGreaterThan(50); // iam:Get* and iam:List* expand to 70-odd actions
      const writes = allowed.filter((a) => !['list', 'read'].includes(accessLevelOf(a) ?? 'unknown'));
      expect([role.name, writes]).toEqual([role.name, []]);
      const deny = role.policy.Statement.find((s) => s.Effect === 'Deny')!;
      expect([deny.Resource, [deny.NotAction].flat().sort()]).toEqual([
        '*',
        [...statementsActions(role.policy, 'Allow'), 'sts:GetCallerIdentity'].sort(),
      ]);
    }
  });

  test('apply roles are scoped to what their stack manages and denied the deploy roles, the deploy role and the OIDC provider', () => {
    const apply = (stack: string) => roles.find((r) => r.stack === stack && r.phase === 'apply')!;
    const resources = (role: DeployRolePlan, effect: 'Allow' | 'Deny') =>
      role.policy.Statement.filter((s) => s.Effect === effect).flatMap((s) => [s.Resource ?? []].flat());
    expect(resources(apply('account-production'), 'Allow')).toEqual([`arn:aws:iam::${PRODUCTION}:role/*`]);
    expect(resources(apply('master'), 'Allow').sort()).toEqual(
      [
        '*',
        `arn:aws:iam::${MASTER}:group/*`,
        `arn:aws:iam::${MASTER}:mfa/*`,
        `arn:aws:iam::${MASTER}:policy/*`,
        `arn:aws:iam::${MASTER}:role/*`,
        `arn:aws:iam::${MASTER}:user/*`,
      ].sort(),
    );
    for (const stack of ['master', 'account-production']) {
      const account = stack === 'master' ? MASTER : PRODUCTION;
      expect(resources(apply(stack), 'Deny').sort()).toEqual(
        [
          `arn:aws:iam::${account}:oidc-provider/*`,
          `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
          `arn:aws:iam::${account}:role/aws-reserved/*`,
          `arn:aws:iam::${account}:role/aws-service-role/*`,
          `arn:aws:iam::${account}:role/rolecall-deploy/*`,
        ].sort(),
      );
    }
    // The master's "*" is the account password policy and the virtual MFA device list only.
    const star = apply('master')
      .policy.Statement.filter((s) => s.Resource === '*')
      .flatMap((s) => [s.Action].flat());
    expect(star.sort()).toEqual([
      'iam:DeleteAccountPasswordPolicy',
      'iam:GetAccountPasswordPolicy',
      'iam:ListVirtualMFADevices',
      'iam:UpdateAccountPasswordPolicy',
    ]);
    // Member apply roles touch no users, groups or policies; only master's do.
    expect(
      statementsActions(apply('account-production').policy, 'Allow').filter((a) => /User|Group|LoginProfile|AccessKey/.test(a)),
    ).toEqual([]);
    // The organization's apply role manages Organizations, never closes, removes or leaves.
    const org = apply('organization').policy;
    expect(statementsActions(org, 'Allow')).toEqual(expect.arrayContaining(['organizations:CreateAccount', 'organizations:AttachPolicy']));
    expect(statementsActions(org, 'Deny').sort()).toEqual([
      'organizations:CloseAccount',
      'organizations:DeleteOrganization',
      'organizations:LeaveOrganization',
      'organizations:RemoveAccountFromOrganization',
    ]);
  });

  test('a rolePath narrows what apply roles may change', () => {
    const scoped = allRoles(
      variant((org) => {
        org.organization.rolePath = '/people/';
        org.deploy.backend = 'cloud';
        org.deploy.credentials = 'tfc-dynamic';
      }),
    );
    const member = scoped.find((r) => r.stack === 'account-production' && r.phase === 'apply')!;
    expect(member.policy.Statement[0].Resource).toBe(`arn:aws:iam::${PRODUCTION}:role/people/*`);
  });
});

describe('bootstrap stack', () => {
  test.each(COMBINATIONS)('$backend + $credentials: present only when something must be created', ({ backend, credentials }) => {
    const plan = compiled(deployVariant(backend, credentials));
    const expected = backend === 's3' || credentials === 'tfc-dynamic';
    expect(plan.bootstrapStack !== undefined).toBe(expected);
    if (!plan.bootstrapStack) return;
    expect(plan.bootstrapStack.backend).toEqual({ kind: 'local', path: '../../../terraform-state/bootstrap.tfstate' });
    expect(plan.bootstrapStack.stateBucket !== undefined).toBe(backend === 's3');
    expect(plan.bootstrapStack.accounts.length > 0).toBe(credentials === 'tfc-dynamic');
    for (const account of plan.bootstrapStack.accounts) {
      // The admin's credentials in master; OrganizationAccountAccessRole everywhere else.
      expect(account.provider.assumeRoleArn).toBe(
        account.key === 'master' ? undefined : `arn:aws:iam::${account.account.id}:role/OrganizationAccountAccessRole`,
      );
      expect(account.provider.allowedAccountIds).toEqual([account.account.id]);
      expect(account.oidcProvider).toEqual({
        url: 'https://app.terraform.io',
        clientIds: ['aws.workload.identity'],
        arn: `arn:aws:iam::${account.account.id}:oidc-provider/app.terraform.io`,
      });
    }
  });

  test('deploy.assumeRoleName is how bootstrap reaches members', () => {
    const plan = compiled(
      variant((org) => {
        org.deploy.backend = 'cloud';
        org.deploy.credentials = 'tfc-dynamic';
        org.deploy.assumeRoleName = 'AdminBootstrap';
      }),
    );
    expect(plan.bootstrapStack!.accounts.find((a) => a.key === 'production')!.provider.assumeRoleArn).toBe(
      `arn:aws:iam::${PRODUCTION}:role/AdminBootstrap`,
    );
  });
});

describe('services SCP and the deploy roles', () => {
  test('tfc-dynamic: the plan and apply roles may still manage function roles in an account limited to services', () => {
    const scp = (text: string) => compiled(text).organizationStack!.policies.find((p) => p.key === 'services-storage')!.document;
    const dynamic = scp(deployVariant('cloud', 'tfc-dynamic', MANAGED_TEXT));
    expect(dynamic.Statement[1].Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/OrganizationAccountAccessRole', 'arn:aws:iam::*:role/rolecall-deploy/*'] },
    });
    // Otherwise unchanged: the deploy role alone.
    expect(scp(MANAGED_TEXT).Statement[1].Condition).toEqual({
      ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrganizationAccountAccessRole' },
    });
  });
});

describe('apply credentials (for the access model)', () => {
  test("tfc-dynamic: each stack's apply role; assume-role: the deploy role in members, ambient in master", () => {
    const dynamic = applyCredentials(compiled(deployVariant('cloud', 'tfc-dynamic', MANAGED_TEXT)));
    expect(dynamic.find((c) => c.stack === 'organization')).toEqual({
      stack: 'organization',
      account: { name: 'master', id: MASTER },
      kind: 'tfc-apply-role',
      roleArn: `arn:aws:iam::${MASTER}:role/rolecall-deploy/rolecall-organization-apply`,
      level: 'admin',
    });
    const chained = applyCredentials(compiled(deployVariant('local', 'assume-role')));
    expect(chained.map((c) => [c.stack, c.kind, c.roleArn])).toEqual([
      ['master', 'ambient', undefined],
      ['account-development', 'deploy-role', 'arn:aws:iam::444444444444:role/OrganizationAccountAccessRole'],
      ['account-production', 'deploy-role', `arn:aws:iam::${PRODUCTION}:role/OrganizationAccountAccessRole`],
      ['account-sandbox', 'deploy-role', 'arn:aws:iam::555555555555:role/OrganizationAccountAccessRole'],
      ['account-storage', 'deploy-role', 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole'],
    ]);
  });
});
