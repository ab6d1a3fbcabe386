/**
 * The independent check of the dynamic credentials: the SYNTHESIZED
 * bootstrap stack's roles, read from cdk.tf.json, put to
 * @cloud-copilot/iam-simulate. A plan role is assumable only with a token
 * for the plan phase of its own workspace, in its own project and
 * organisation, with HCP Terraform's audience, through the provider in its
 * own account; and it cannot change IAM. An apply role answers only to the
 * apply phase and is fenced off the deploy roles.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { accessLevelOf, listActions } from '../../src/iam/actions';
import { synthesizeApp } from '../../src/stacks/app';
import {
  readBootstrapRoles,
  simulateRoleAction,
  simulateRoleActionOn,
  simulateWebIdentity,
  type Decision,
  type SynthRole,
} from '../helpers/simulate';
import { MANAGED_TEXT, compiled, deployVariant } from '../fixtures/deploy';

const PRODUCTION = '222222222222';
const STORAGE = '333333333333';
const MASTER = '111111111111';

let tmp: string;
let roles: SynthRole[];
const role = (name: string) => {
  const found = roles.find((r) => r.name === name);
  if (!found) throw new Error(`no role ${name} in the bootstrap stack`);
  return found;
};

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-deploy-sim-'));
  synthesizeApp(compiled(deployVariant('cloud', 'tfc-dynamic', MANAGED_TEXT)), tmp);
  roles = readBootstrapRoles(path.join(tmp, 'stacks', 'bootstrap', 'cdk.tf.json'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const provider = (account: string) => `arn:aws:iam::${account}:oidc-provider/app.terraform.io`;
const sub = (org: string, project: string, workspace: string, phase: string) =>
  `organization:${org}:project:${project}:workspace:${workspace}:run_phase:${phase}`;
const AUD = 'aws.workload.identity';

describe('who may assume the plan role of account-production', () => {
  const own = () => ({ provider: provider(PRODUCTION), aud: AUD, sub: sub('acme', 'aws-iam', 'rolecall-account-production', 'plan') });
  const cases: Array<[string, () => { provider: string; aud: string; sub: string }, Decision]> = [
    ['its own workspace, plan phase', own, 'Allowed'],
    [
      'the apply phase of its own workspace',
      () => ({ ...own(), sub: sub('acme', 'aws-iam', 'rolecall-account-production', 'apply') }),
      'ImplicitlyDenied',
    ],
    [
      'another workspace (account-storage)',
      () => ({ ...own(), sub: sub('acme', 'aws-iam', 'rolecall-account-storage', 'plan') }),
      'ImplicitlyDenied',
    ],
    [
      'a workspace named alike in another project',
      () => ({ ...own(), sub: sub('acme', 'sandbox', 'rolecall-account-production', 'plan') }),
      'ImplicitlyDenied',
    ],
    [
      'the same workspace and project in another organisation',
      () => ({ ...own(), sub: sub('evil', 'aws-iam', 'rolecall-account-production', 'plan') }),
      'ImplicitlyDenied',
    ],
    ['a subject with wildcards', () => ({ ...own(), sub: sub('*', '*', 'rolecall-account-production', 'plan') }), 'ImplicitlyDenied'],
    ['another audience', () => ({ ...own(), aud: 'sts.amazonaws.com' }), 'ImplicitlyDenied'],
    ['its own token through the OIDC provider of another account', () => ({ ...own(), provider: provider(STORAGE) }), 'ImplicitlyDenied'],
  ];
  test.each(cases)('%s: %s', (_what, token, expected) => {
    expect(simulateWebIdentity(role('rolecall-account-production-plan'), token())).toBe(expected);
  });
});

describe('who may assume the apply roles', () => {
  test('only the apply phase of their own workspace, for every stack', () => {
    const verdicts: string[] = [];
    for (const r of roles.filter((x) => x.name.endsWith('-apply'))) {
      // Role rolecall-<stack>-apply belongs to workspace rolecall-<stack> (workspacePrefix rolecall-).
      const workspace = r.name.replace(/-apply$/, '');
      const token = { provider: provider(r.accountId), aud: AUD, sub: sub('acme', 'aws-iam', workspace, 'apply') };
      verdicts.push(`${r.name} apply ${simulateWebIdentity(r, token)}`);
      verdicts.push(`${r.name} plan ${simulateWebIdentity(r, { ...token, sub: sub('acme', 'aws-iam', workspace, 'plan') })}`);
    }
    expect(verdicts.sort()).toEqual(
      ['master', 'organization', 'account-development', 'account-production', 'account-sandbox', 'account-storage']
        .flatMap((s) => [`rolecall-${s}-apply apply Allowed`, `rolecall-${s}-apply plan ImplicitlyDenied`])
        .sort(),
    );
  });
});

describe('the plan roles cannot change IAM', () => {
  // Everything above read: write, permissions management, and `admin` (IAM principals, policies, trust).
  const writes = listActions('iam').filter((a) => !['list', 'read'].includes(accessLevelOf(a) ?? 'list'));

  test.each(['rolecall-master-plan', 'rolecall-account-production-plan', 'rolecall-organization-plan'])(
    '%s: no IAM action above read (write, permissions, admin) is allowed anywhere',
    async (name) => {
      expect(writes.length).toBeGreaterThan(100);
      const allowed: string[] = [];
      for (const action of writes) if ((await simulateRoleAction(role(name), action)) === 'Allowed') allowed.push(action);
      expect(allowed).toEqual([]);
    },
  );

  test('but they can read what a refresh needs', async () => {
    for (const action of ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy', 'iam:GetUser', 'iam:GetPolicyVersion']) {
      expect([action, await simulateRoleAction(role('rolecall-master-plan'), action)]).toEqual([action, 'Allowed']);
    }
    expect(await simulateRoleAction(role('rolecall-organization-plan'), 'organizations:DescribeOrganization')).toBe('Allowed');
    expect(await simulateRoleAction(role('rolecall-organization-plan'), 'organizations:CreateAccount')).not.toBe('Allowed');
  });
});

describe('what the apply roles may change', () => {
  const on = (name: string, action: string, resource: string) => simulateRoleActionOn(role(name), action, resource);

  test('a member apply role changes function roles, and is denied the deploy roles, the deploy role and the OIDC provider', async () => {
    const r = 'rolecall-account-production-apply';
    expect(await on(r, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${PRODUCTION}:role/operations`)).toBe('Allowed');
    expect(
      await on(r, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${PRODUCTION}:role/rolecall-deploy/rolecall-account-production-apply`),
    ).toBe('ExplicitlyDenied');
    expect(await on(r, 'iam:AttachRolePolicy', `arn:aws:iam::${PRODUCTION}:role/rolecall-deploy/rolecall-account-production-plan`)).toBe(
      'ExplicitlyDenied',
    );
    expect(await on(r, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${PRODUCTION}:role/OrganizationAccountAccessRole`)).toBe(
      'ExplicitlyDenied',
    );
    expect(await on(r, 'iam:DeleteOpenIDConnectProvider', `arn:aws:iam::${PRODUCTION}:oidc-provider/app.terraform.io`)).not.toBe('Allowed');
    expect(await on(r, 'iam:CreateUser', `arn:aws:iam::${PRODUCTION}:user/mallory`)).not.toBe('Allowed');
    expect(await on(r, 'iam:CreateAccessKey', `arn:aws:iam::${PRODUCTION}:user/mallory`)).not.toBe('Allowed');
  });

  test('the master apply role manages people and groups, not the way in', async () => {
    const r = 'rolecall-master-apply';
    expect(await on(r, 'iam:CreateUser', `arn:aws:iam::${MASTER}:user/alice`)).toBe('Allowed');
    expect(await on(r, 'iam:AddUserToGroup', `arn:aws:iam::${MASTER}:group/operations`)).toBe('Allowed');
    expect(await on(r, 'iam:CreatePolicyVersion', `arn:aws:iam::${MASTER}:policy/operations-assume-roles-1`)).toBe('Allowed');
    expect(await on(r, 'iam:UpdateAssumeRolePolicy', `arn:aws:iam::${MASTER}:role/rolecall-deploy/rolecall-organization-apply`)).toBe(
      'ExplicitlyDenied',
    );
    expect(await on(r, 'iam:CreateOpenIDConnectProvider', `arn:aws:iam::${MASTER}:oidc-provider/app.terraform.io`)).not.toBe('Allowed');
    expect(await on(r, 'organizations:CreateAccount', '*')).not.toBe('Allowed');
  });
});
