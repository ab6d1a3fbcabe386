/**
 * The generated SCPs through an IAM policy simulator
 * (@cloud-copilot/iam-simulate, AGPL: a dev dependency, used in tests only).
 *
 * The SCPs are read back from the synthesized Terraform (policy content and
 * attachments), not from the plan, so what is simulated is what Terraform
 * would send. Every principal holds AdministratorAccess, so any denial comes
 * from the SCPs. SCPs are evaluated per level (root, OUs, account), and each
 * level must allow: AWS's FullAWSAccess sits on every level, and rolecall's
 * SCPs on the account. The management account gets no SCPs at all, because
 * AWS never applies SCPs to it: the simulation says so by giving it none.
 */
import { Testing } from 'cdktf';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { memberPerimeterRcp } from '../../src/plan/organization';
import { OrganizationStack } from '../../src/stacks/organization-stack';
import { MANAGED_TEXT, MASTER_ID, planOf } from '../fixtures/organization';

/* eslint-disable @typescript-eslint/no-explicit-any */
const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const ADMINISTRATOR_ACCESS = FULL_AWS_ACCESS; // the AWS managed policy's document
/** analytics has no id yet; the organization stack will create it. */
const ANALYTICS_ID = '666666666666';
const DEPLOY_ROLE = 'OrganizationAccountAccessRole';

interface AccountScps {
  id: string;
  /** [level name, policies] from the root down to the account. */
  levels: Array<{ orgIdentifier: string; policies: Array<{ name: string; policy: unknown }> }>;
  /** The resource control policies, likewise (the simulator adds RCPFullAWSAccess itself). */
  rcps: Array<{ orgIdentifier: string; policies: Array<{ name: string; policy: unknown }> }>;
}

/** Every member account of the synthesized stack, with the SCP levels that govern its principals. */
function scpsFromSynthesizedStack(): Record<string, AccountScps> {
  const { org } = planOf(MANAGED_TEXT);
  const app = Testing.app();
  const stack = new OrganizationStack(app, 'organization', { plan: org });
  const json = JSON.parse(Testing.synth(stack));
  const accountIds: Record<string, string> = Object.fromEntries(
    (json.import ?? []).map((i: any) => [i.to.replace('aws_organizations_account.', ''), i.id]),
  );
  const policies = json.resource.aws_organizations_policy as Record<string, any>;
  const attachments = Object.values(json.resource.aws_organizations_policy_attachment as Record<string, any>);
  const result: Record<string, AccountScps> = {};
  for (const [address, account] of Object.entries<any>(json.resource.aws_organizations_account)) {
    const id = accountIds[address] ?? ANALYTICS_ID;
    const all = attachments
      .filter((a) => a.target_id === `\${aws_organizations_account.${address}.id}`)
      .map((a) => {
        const policy = /^\$\{aws_organizations_policy\.([^.]+)\.id\}$/.exec(a.policy_id)![1];
        const content = String(policies[policy].content).replace(/\$\$\{/g, '${');
        return { type: policies[policy].type, name: policies[policy].name, policy: JSON.parse(content) };
      });
    const attached = all.filter((p) => p.type === 'SERVICE_CONTROL_POLICY').map(({ name, policy }) => ({ name, policy }));
    const rcps = all.filter((p) => p.type === 'RESOURCE_CONTROL_POLICY').map(({ name, policy }) => ({ name, policy }));
    const ous = String(account.parent_id).startsWith('r-') ? [] : ['ou'];
    result[address.replace('account-', '')] = {
      id,
      levels: [
        { orgIdentifier: org.rootId, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
        ...ous.map((ou) => ({ orgIdentifier: ou, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] })),
        { orgIdentifier: id, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...attached] },
      ],
      rcps: [{ orgIdentifier: id, policies: rcps }],
    };
  }
  return result;
}

const accounts = scpsFromSynthesizedStack();

async function decide(
  scps: AccountScps['levels'],
  accountId: string,
  principal: string,
  action: string,
  resource: string,
): Promise<string> {
  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId },
      contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': accountId },
    },
    identityPolicies: principal.endsWith(':root') ? [] : [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_ACCESS }],
    serviceControlPolicies: scps,
    resourceControlPolicies: [],
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
  return response.overallResult;
}

const role = (id: string, name: string) => `arn:aws:iam::${id}:role/${name}`;

describe('generated SCPs in the IAM simulator', () => {
  test('the stack attaches SCPs to every member account and to nothing else', () => {
    expect(Object.keys(accounts).sort()).toEqual(['analytics', 'development', 'production', 'sandbox', 'storage']);
    expect(Object.values(accounts).map((a) => a.id)).not.toContain(MASTER_ID);
    for (const a of Object.values(accounts)) expect(a.levels[a.levels.length - 1].policies.length).toBeGreaterThan(1);
  });

  test.each(Object.keys(accounts).sort())(
    '%s: even an administrator may not create access keys or leave the organization',
    async (name) => {
      const { id, levels } = accounts[name];
      const admin = role(id, 'operations');
      expect(await decide(levels, id, admin, 'iam:CreateAccessKey', `arn:aws:iam::${id}:user/intruder`)).toBe('ExplicitlyDenied');
      expect(await decide(levels, id, admin, 'iam:CreateUser', `arn:aws:iam::${id}:user/intruder`)).toBe('ExplicitlyDenied');
      expect(await decide(levels, id, admin, 'iam:CreateLoginProfile', `arn:aws:iam::${id}:user/intruder`)).toBe('ExplicitlyDenied');
      expect(await decide(levels, id, admin, 'organizations:LeaveOrganization', '*')).toBe('ExplicitlyDenied');
      // The deploy role is no exception to the baseline.
      expect(await decide(levels, id, role(id, DEPLOY_ROLE), 'iam:CreateAccessKey', `arn:aws:iam::${id}:user/intruder`)).toBe(
        'ExplicitlyDenied',
      );
    },
  );

  test.each(Object.keys(accounts).sort())('%s: the root user is denied everything', async (name) => {
    const { id, levels } = accounts[name];
    expect(await decide(levels, id, `arn:aws:iam::${id}:root`, 's3:GetObject', 'arn:aws:s3:::acme-data/report.csv')).toBe(
      'ExplicitlyDenied',
    );
  });

  test('production (no services list): an administrator may still do the rest', async () => {
    const { id, levels } = accounts.production;
    expect(await decide(levels, id, role(id, 'operations'), 'ec2:RunInstances', `arn:aws:ec2:eu-west-1:${id}:instance/*`)).toBe('Allowed');
    expect(await decide(levels, id, role(id, 'operations'), 'iam:CreateRole', role(id, 'new-role'))).toBe('Allowed');
  });

  test('storage (S3 only): an administrator may read objects but not run instances', async () => {
    const { id, levels } = accounts.storage;
    const admin = role(id, 'operations');
    expect(await decide(levels, id, admin, 's3:GetObject', 'arn:aws:s3:::acme-data/report.csv')).toBe('Allowed');
    expect(await decide(levels, id, admin, 's3:PutObject', 'arn:aws:s3:::acme-data/report.csv')).toBe('Allowed');
    expect(await decide(levels, id, admin, 'ec2:RunInstances', `arn:aws:ec2:eu-west-1:${id}:instance/*`)).toBe('ExplicitlyDenied');
    expect(await decide(levels, id, admin, 'lambda:CreateFunction', `arn:aws:lambda:eu-west-1:${id}:function:f`)).toBe('ExplicitlyDenied');
  });

  test('storage (S3 only): the deploy role can create and update the function roles; nobody else can', async () => {
    const { id, levels } = accounts.storage;
    const deploy = role(id, DEPLOY_ROLE);
    const target = role(id, 'operations');
    for (const action of [
      'iam:CreateRole',
      'iam:GetRole',
      'iam:UpdateRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:TagRole',
      'iam:PutRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:AttachRolePolicy',
      'iam:DetachRolePolicy',
      'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies',
      'iam:ListInstanceProfilesForRole',
      'iam:DeleteRole',
    ]) {
      expect([action, await decide(levels, id, deploy, action, target)]).toEqual([action, 'Allowed']);
      // IAM reads are always allowed (ALWAYS_ALLOWED_ACTIONS); every change is the deploy role's alone.
      const read = /^iam:(Get|List)/.test(action);
      expect([action, await decide(levels, id, role(id, 'operations'), action, target)]).toEqual([
        action,
        read ? 'Allowed' : 'ExplicitlyDenied',
      ]);
    }
    // Only role management: the deploy role is confined like everyone else otherwise.
    expect(await decide(levels, id, deploy, 'ec2:RunInstances', `arn:aws:ec2:eu-west-1:${id}:instance/*`)).toBe('ExplicitlyDenied');
    expect(await decide(levels, id, deploy, 'iam:PassRole', target)).toBe('ExplicitlyDenied');
  });

  test('storage (S3 only): what every account needs stays allowed: KMS for SSE-KMS, CloudTrail reads, Support, IAM reads', async () => {
    const { id, levels } = accounts.storage;
    const admin = role(id, 'operations');
    const key = `arn:aws:kms:eu-west-1:${id}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    for (const [action, resource] of [
      ['kms:Decrypt', key],
      ['kms:GenerateDataKey', key],
      ['cloudtrail:LookupEvents', '*'],
      ['support:CreateCase', '*'],
      ['iam:ListRoles', '*'],
    ]) {
      // KMS also needs the key's own policy (the simulator knows): the SCP just must not deny it.
      const expected = action.startsWith('kms:') ? 'ImplicitlyDenied' : 'Allowed';
      expect([action, await decide(levels, id, admin, action, resource)]).toEqual([action, expected]);
    }
    // Only their data plane and reads: no key management, no trail changes.
    expect(await decide(levels, id, admin, 'kms:ScheduleKeyDeletion', key)).toBe('ExplicitlyDenied');
    expect(await decide(levels, id, admin, 'cloudtrail:StopLogging', `arn:aws:cloudtrail:eu-west-1:${id}:trail/org`)).toBe(
      'ExplicitlyDenied',
    );
  });

  test('analytics (created by the stack, s3/athena/glue): allowed services pass, others are denied', async () => {
    const { id, levels } = accounts.analytics;
    const admin = role(id, 'developers');
    expect(await decide(levels, id, admin, 'athena:StartQueryExecution', `arn:aws:athena:eu-west-1:${id}:workgroup/primary`)).toBe(
      'Allowed',
    );
    expect(await decide(levels, id, admin, 'ec2:RunInstances', `arn:aws:ec2:eu-west-1:${id}:instance/*`)).toBe('ExplicitlyDenied');
  });

  test('the management account is unaffected: AWS applies no SCPs there, so none are simulated', async () => {
    const admin = role(MASTER_ID, 'operations');
    expect(await decide([], MASTER_ID, admin, 'iam:CreateAccessKey', `arn:aws:iam::${MASTER_ID}:user/alice`)).toBe('Allowed');
    expect(await decide([], MASTER_ID, admin, 'ec2:RunInstances', `arn:aws:ec2:eu-west-1:${MASTER_ID}:instance/*`)).toBe('Allowed');
  });
});

describe('member identity perimeter (issue 7, finding 3)', () => {
  const ORG_ID = 'o-abc123defg';
  const OUTSIDER = '999999999999';

  test.each(Object.keys(accounts).sort())(
    '%s: an administrator may not add identity providers, Roles Anywhere anchors or Identity Center; the deploy role may',
    async (name) => {
      const { id, levels } = accounts[name];
      const cases: Array<[string, string]> = [
        ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${id}:oidc-provider/token.actions.githubusercontent.com`],
        ['iam:CreateSAMLProvider', `arn:aws:iam::${id}:saml-provider/okta`],
        ['iam:AddClientIDToOpenIDConnectProvider', `arn:aws:iam::${id}:oidc-provider/token.actions.githubusercontent.com`],
        ['rolesanywhere:CreateTrustAnchor', '*'],
        ['rolesanywhere:CreateProfile', '*'],
        ['sso:CreateInstance', '*'],
      ];
      for (const [action, resource] of cases) {
        expect([action, await decide(levels, id, role(id, 'operations'), action, resource)]).toEqual([action, 'ExplicitlyDenied']);
        // The deploy role is exempt from this statement (a services SCP may still confine it).
        const deploy = await decide(levels, id, role(id, DEPLOY_ROLE), action, resource);
        if (!accounts[name].levels.some((l) => l.policies.some((p) => p.name.startsWith('rolecall-services-')))) {
          expect([action, deploy]).toEqual([action, 'Allowed']);
        }
      }
    },
  );

  async function assume(name: string, principal: string, context: Record<string, string>): Promise<string> {
    const { id, rcps } = accounts[name];
    const target = role(id, 'operations');
    const response = await runSimulation(
      {
        request: {
          principal,
          action: 'sts:AssumeRole',
          resource: { resource: target, accountId: id },
          contextVariables: context,
        },
        // The trust policy trusts the caller and the caller may assume anything: only the RCP decides.
        identityPolicies: principal.includes(':') ? [{ name: 'AssumeAnything', policy: ADMINISTRATOR_ACCESS }] : [],
        serviceControlPolicies: [],
        resourceControlPolicies: rcps,
        resourcePolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: principal.includes(':') ? { AWS: principal } : { Service: principal }, Action: 'sts:AssumeRole' },
          ],
        },
      },
      {},
    );
    if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
    return response.overallResult;
  }

  test.each(Object.keys(accounts).sort())('%s: the RCP denies assuming roles to principals outside the organization', async (name) => {
    const outsider = role(OUTSIDER, 'attacker');
    expect(
      await assume(name, outsider, {
        'aws:PrincipalArn': outsider,
        'aws:PrincipalAccount': OUTSIDER,
        'aws:PrincipalOrgID': 'o-otherorg123',
      }),
    ).toBe('ExplicitlyDenied');
    // A principal of no organization at all (no aws:PrincipalOrgID key).
    expect(await assume(name, outsider, { 'aws:PrincipalArn': outsider, 'aws:PrincipalAccount': OUTSIDER })).toBe('ExplicitlyDenied');
  });

  test('the RCP lets organization principals and AWS services through', async () => {
    const insider = role(MASTER_ID, 'operations');
    expect(
      await assume('production', insider, { 'aws:PrincipalArn': insider, 'aws:PrincipalAccount': MASTER_ID, 'aws:PrincipalOrgID': ORG_ID }),
    ).toBe('Allowed');
    expect(await assume('production', 'lambda.amazonaws.com', { 'aws:PrincipalIsAWSService': 'true' })).toBe('Allowed');
  });

  test('principals the file names pass the RCP (a role, or a whole account); others stay out', async () => {
    const partner = role('888888888888', 'ci');
    const rcp = memberPerimeterRcp(ORG_ID, [partner, 'arn:aws:iam::777777777777:root']);
    const saved = accounts.production.rcps;
    accounts.production.rcps = [{ orgIdentifier: accounts.production.id, policies: [{ name: 'perimeter', policy: rcp }] }];
    try {
      const ctx = (arn: string) => ({ 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': arn.split(':')[4] });
      expect(await assume('production', partner, ctx(partner))).toBe('Allowed');
      expect(await assume('production', role('777777777777', 'any'), ctx(role('777777777777', 'any')))).toBe('Allowed');
      expect(await assume('production', role('888888888888', 'other'), ctx(role('888888888888', 'other')))).toBe('ExplicitlyDenied');
    } finally {
      accounts.production.rcps = saved;
    }
  });

  test('every member account carries the RCP; the management account none (RCPs never apply there)', () => {
    for (const a of Object.values(accounts)) expect(a.rcps[0].policies.map((p) => p.name)).toEqual(['rolecall-member-perimeter']);
  });
});
