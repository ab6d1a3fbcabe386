/**
 * Custom SCPs (`scps:`) and the identity account's baseline through the IAM
 * simulator, read back from the synthesized organization stack of
 * config/org-large-company.yaml (as test/organization/scp-simulation.test.ts
 * does for the built-in ones). Every principal holds AdministratorAccess, so
 * any denial comes from the SCPs.
 */
import { Testing } from 'cdktf';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { OrganizationStack } from '../../src/stacks/organization-stack';

/* eslint-disable @typescript-eslint/no-explicit-any */
const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const DEPLOY_ROLE = 'OrganizationAccountAccessRole';
const plan = compileOrgFile(path.join(__dirname, '..', '..', 'config', 'org-large-company.yaml')).plan!;
const org = plan.organizationStack!;

type Levels = Array<{ orgIdentifier: string; policies: Array<{ name: string; policy: unknown }> }>;

/** Account name -> { id, SCP levels from the root down }, from the synthesized JSON. */
function synthesizedScps(): Record<string, { id: string; levels: Levels; names: string[] }> {
  const json = JSON.parse(Testing.synth(new OrganizationStack(Testing.app(), 'organization', { plan: org })));
  const ids: Record<string, string> = Object.fromEntries(
    (json.import ?? []).map((i: any) => [i.to.replace('aws_organizations_account.', ''), i.id]),
  );
  const policies = json.resource.aws_organizations_policy as Record<string, any>;
  const attachments = Object.values(json.resource.aws_organizations_policy_attachment as Record<string, any>);
  const out: Record<string, { id: string; levels: Levels; names: string[] }> = {};
  for (const address of Object.keys(json.resource.aws_organizations_account)) {
    const attached = attachments
      .filter((a) => a.target_id === `\${aws_organizations_account.${address}.id}`)
      .map((a) => policies[/^\$\{aws_organizations_policy\.([^.]+)\.id\}$/.exec(a.policy_id)![1]])
      // SCPs only: the resource control policy (issue 7) is simulated in test/organization/scp-simulation.test.ts.
      .filter((p) => (p.type ?? 'SERVICE_CONTROL_POLICY') === 'SERVICE_CONTROL_POLICY')
      .map((p) => ({ name: p.name as string, policy: JSON.parse(String(p.content).replace(/\$\$\{/g, '${')) }));
    const id = ids[address];
    out[address.replace('account-', '')] = {
      id,
      names: attached.map((p) => p.name).sort(),
      levels: [
        { orgIdentifier: org.rootId, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
        { orgIdentifier: id, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...attached] },
      ],
    };
  }
  return out;
}

const accounts = synthesizedScps();

async function decide(name: string, principalName: string, action: string, resource: string, region?: string): Promise<string> {
  const { id, levels } = accounts[name];
  const principal = `arn:aws:iam::${id}:role/${principalName}`;
  const contextVariables: Record<string, string> = { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': id };
  if (region) contextVariables['aws:RequestedRegion'] = region;
  const simulation: Simulation = {
    request: { principal, action, resource: { resource, accountId: id }, contextVariables },
    identityPolicies: [{ name: 'AdministratorAccess', policy: FULL_AWS_ACCESS }],
    serviceControlPolicies: levels,
    resourceControlPolicies: [],
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors, null, 2));
  return response.overallResult;
}

test('custom SCPs attach where their selectors say, never to the management account', () => {
  expect(Object.keys(accounts)).not.toContain('management');
  expect(accounts.production.names).toEqual(['rolecall-custom-region-lock', 'rolecall-member-baseline']);
  expect(accounts.staging.names).toEqual(['rolecall-custom-no-large-instances', 'rolecall-custom-region-lock', 'rolecall-member-baseline']);
  expect(accounts.identity.names).toEqual(['rolecall-identity-baseline']);
});

describe('region-lock', () => {
  test('denies regional services outside the allowed regions, allows them inside', async () => {
    const instance = (region: string) => `arn:aws:ec2:${region}:${accounts.production.id}:instance/*`;
    expect(await decide('production', 'admin', 'ec2:RunInstances', instance('us-east-1'), 'us-east-1')).toBe('ExplicitlyDenied');
    expect(await decide('production', 'admin', 'ec2:RunInstances', instance('eu-central-1'), 'eu-central-1')).toBe('Allowed');
    expect(await decide('production', 'admin', 'ec2:RunInstances', instance('eu-west-1'), 'eu-west-1')).toBe('Allowed');
  });

  test('leaves global services alone in any region', async () => {
    expect(await decide('production', 'admin', 'iam:CreateRole', `arn:aws:iam::${accounts.production.id}:role/x`, 'us-east-1')).toBe(
      'Allowed',
    );
  });

  test('protects the deploy role from everyone but itself', async () => {
    const deployRole = `arn:aws:iam::${accounts.production.id}:role/${DEPLOY_ROLE}`;
    expect(await decide('production', 'admin', 'iam:PutRolePolicy', deployRole, 'eu-central-1')).toBe('ExplicitlyDenied');
    expect(await decide('production', 'admin', 'iam:DeleteRole', deployRole, 'eu-central-1')).toBe('ExplicitlyDenied');
    expect(await decide('production', DEPLOY_ROLE, 'iam:PutRolePolicy', deployRole, 'eu-central-1')).toBe('Allowed');
    expect(
      await decide('production', 'admin', 'iam:PutRolePolicy', `arn:aws:iam::${accounts.production.id}:role/other`, 'eu-central-1'),
    ).toBe('Allowed');
  });
});

test('the identity account: only the deploy role creates people; nobody leaves the organization', async () => {
  const user = `arn:aws:iam::${accounts.identity.id}:user/newcomer`;
  expect(await decide('identity', DEPLOY_ROLE, 'iam:CreateUser', user)).toBe('Allowed');
  expect(await decide('identity', DEPLOY_ROLE, 'iam:CreateLoginProfile', user)).toBe('Allowed');
  expect(await decide('identity', 'admin', 'iam:CreateUser', user)).toBe('ExplicitlyDenied');
  expect(await decide('identity', 'admin', 'iam:CreateAccessKey', user)).toBe('ExplicitlyDenied');
  expect(await decide('identity', DEPLOY_ROLE, 'organizations:LeaveOrganization', '*')).toBe('ExplicitlyDenied');
});
