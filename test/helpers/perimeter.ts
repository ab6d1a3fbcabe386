/**
 * The member perimeter of a compiled org file, read back from the
 * SYNTHESIZED organization stack (policy content and attachments), and put
 * to @cloud-copilot/iam-simulate (AGPL: tests only). Shared by the
 * back-door tests (issue 17) and the "the perimeter never blocks rolecall"
 * test. SCP levels: FullAWSAccess on the root, and FullAWSAccess plus what
 * rolecall attaches on the account (OUs add only FullAWSAccess). RCPs: what
 * rolecall attaches (RCPFullAWSAccess first, as AWS attaches it).
 */
import { Testing } from 'cdktf';
import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { OrganizationStack } from '../../src/stacks/organization-stack';
import type { OrgPlan } from '../../src/plan/types';
import { nameUnnamedPolicies, type Decision } from './simulate';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** AWS attaches it to every target once RCPs are enabled; without it the simulator allows nothing. */
export const RCP_FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };

export type Levels = Array<{ orgIdentifier: string; policies: Array<{ name: string; policy: unknown }> }>;

export interface AccountPerimeter {
  name: string;
  id: string;
  scps: Levels;
  rcps: Levels;
  /** Names of the SCPs and RCPs rolecall attaches, sorted. */
  attached: string[];
}

/** Every member account of the plan's synthesized organization stack. Accounts without an id get 6666666666nn. */
export function perimeterOf(plan: OrgPlan): Record<string, AccountPerimeter> {
  const org = plan.organizationStack;
  if (!org) throw new Error('no organization stack');
  const json = JSON.parse(Testing.synth(new OrganizationStack(Testing.app(), 'organization', { plan: org })));
  const ids: Record<string, string> = Object.fromEntries(
    (json.import ?? []).map((i: any) => [i.to.replace('aws_organizations_account.', ''), i.id]),
  );
  const policies = (json.resource.aws_organizations_policy ?? {}) as Record<string, any>;
  const attachments = Object.values((json.resource.aws_organizations_policy_attachment ?? {}) as Record<string, any>);
  const out: Record<string, AccountPerimeter> = {};
  Object.keys(json.resource.aws_organizations_account)
    .sort()
    .forEach((address, i) => {
      const id =
        ids[address] ?? org.accounts.find((a) => `account-${a.key}` === address)?.importId ?? `6666666666${String(i).padStart(2, '0')}`;
      const all = attachments
        .filter((a) => a.target_id === `\${aws_organizations_account.${address}.id}`)
        .map((a) => policies[/^\$\{aws_organizations_policy\.([^.]+)\.id\}$/.exec(a.policy_id)![1]])
        .map((p) => ({
          type: (p.type ?? 'SERVICE_CONTROL_POLICY') as string,
          name: p.name as string,
          policy: JSON.parse(String(p.content).replace(/\$\$\{/g, '${')),
        }));
      const scps = all.filter((p) => p.type === 'SERVICE_CONTROL_POLICY').map(({ name, policy }) => ({ name, policy }));
      const rcps = all.filter((p) => p.type === 'RESOURCE_CONTROL_POLICY').map(({ name, policy }) => ({ name, policy }));
      const name = address.replace(/^account-/, '');
      out[name] = {
        name,
        id,
        attached: all.map((p) => p.name).sort(),
        scps: [
          { orgIdentifier: org.rootId, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
          { orgIdentifier: id, policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...scps] },
        ],
        rcps: [{ orgIdentifier: id, policies: [{ name: 'RCPFullAWSAccess', policy: RCP_FULL_AWS_ACCESS }, ...rcps] }],
      };
    });
  return out;
}

/**
 * What the account's SCPs let `principal` (a role of that account holding
 * AdministratorAccess, so any denial is the SCPs') do to `resource`.
 * `region` is aws:RequestedRegion (IAM's is us-east-1).
 */
export async function scpDecision(
  account: AccountPerimeter,
  principal: string,
  action: string,
  resource: string,
  region = 'us-east-1',
): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: account.id },
      contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': account.id, 'aws:RequestedRegion': region },
    },
    identityPolicies: [{ name: 'AdministratorAccess', policy: FULL_AWS_ACCESS }],
    serviceControlPolicies: account.scps,
    resourceControlPolicies: [],
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(`${principal} ${action} ${resource}: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

/** A web identity token as STS puts it in the request context: the caller (provider ARN or built-in issuer) and its claim keys. */
export interface FederatedToken {
  /** `arn:aws:iam::<account>:oidc-provider/<host>`, or a built-in issuer (`cognito-identity.amazonaws.com`, `accounts.google.com`). */
  federated: string;
  /** Context keys, e.g. { 'app.terraform.io:sub': ..., 'app.terraform.io:aud': ... }. */
  claims: Record<string, string | string[]>;
}

/**
 * Would sts:AssumeRoleWithWebIdentity with `token` succeed on `roleArn`,
 * whose trust policy is `trust`, through the account's RCPs? The unchecked
 * engine: the checked one drops claim keys its catalogue does not list
 * (app.terraform.io among them), see simulate.ts.
 */
export function webIdentityDecision(account: AccountPerimeter, roleArn: string, trust: unknown, token: FederatedToken): Decision {
  nameUnnamedPolicies();
  const result = runUnsafeSimulation(
    {
      request: {
        principal: token.federated,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: roleArn, accountId: account.id },
        contextVariables: { ...token.claims, 'aws:ResourceAccount': account.id },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: account.rcps,
      resourcePolicy: trust as any,
    },
    {},
  );
  return result as Decision;
}

/** A trust policy that trusts `federated` for web identity under `condition` (what an account admin would write). */
export function webIdentityTrust(federated: string, condition: Record<string, Record<string, string | string[]>>): unknown {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: federated }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }],
  };
}
