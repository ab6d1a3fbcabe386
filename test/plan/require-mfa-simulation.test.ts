/**
 * RequireMFA under the simulator (issue 7, finding 2): a leaked long-term key
 * of a person without MFA cannot enrol a device; a console password session
 * without MFA can; nothing else is allowed without MFA, even beside
 * AdministratorAccess.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { MFA_ENROLMENT_ACTIONS, requireMfaPolicy } from '../../src/plan/policies';
import { managedPolicyDocument } from '../../src/iam/managed-policies';
import { listActions } from '../../src/iam/actions';
import { ROLECALL_USER_PATH } from '../../src/plan/names';

const MASTER = '111111111111';
const USER = 'alice';
// rolecall's users live under ROLECALL_USER_PATH (issue 16, finding 8): the person's own ARN carries it.
const SELF = `arn:aws:iam::${MASTER}:user${ROLECALL_USER_PATH}${USER}`;
type Session = 'long-term key' | 'console, no MFA' | 'MFA';

async function decide(action: string, resource: string, session: Session, withAdmin = false): Promise<string> {
  const contextVariables: Record<string, string> = { 'aws:username': USER, 'aws:PrincipalAccount': MASTER };
  if (session === 'console, no MFA') contextVariables['aws:MultiFactorAuthPresent'] = 'false';
  if (session === 'MFA') {
    contextVariables['aws:MultiFactorAuthPresent'] = 'true';
    contextVariables['aws:MultiFactorAuthAge'] = '60';
  }
  const identityPolicies = [{ name: 'RequireMFA', policy: requireMfaPolicy(MASTER) as never }];
  if (withAdmin)
    identityPolicies.push({ name: 'Admin', policy: managedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess') as never });
  const result = await runSimulation(
    {
      request: { principal: SELF, action, resource: { resource, accountId: MASTER }, contextVariables },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${action}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

const resourceFor = (action: string) => (action === 'iam:CreateVirtualMFADevice' ? `arn:aws:iam::${MASTER}:mfa/${USER}` : SELF);

describe('RequireMFA: MFA enrolment', () => {
  it.each(MFA_ENROLMENT_ACTIONS)('a long-term access key cannot %s, even beside AdministratorAccess', async (action) => {
    expect(await decide(action, resourceFor(action), 'long-term key')).not.toBe('Allowed');
    expect(await decide(action, resourceFor(action), 'long-term key', true)).toBe('ExplicitlyDenied');
  });

  it.each(MFA_ENROLMENT_ACTIONS)('a console password session without MFA can %s on itself', async (action) => {
    expect(await decide(action, resourceFor(action), 'console, no MFA')).toBe('Allowed');
  });

  it('a console session without MFA cannot enable a device for someone else', async () => {
    expect(await decide('iam:EnableMFADevice', `arn:aws:iam::${MASTER}:user${ROLECALL_USER_PATH}bob`, 'console, no MFA')).not.toBe(
      'Allowed',
    );
  });

  it('a console session without MFA may change its own password', async () => {
    expect(await decide('iam:ChangePassword', SELF, 'console, no MFA')).toBe('Allowed');
  });
});

describe('RequireMFA: nothing else without MFA', () => {
  // Every IAM and STS action, and a few of the usual targets elsewhere.
  const selfService = new Set([
    ...MFA_ENROLMENT_ACTIONS,
    'iam:ChangePassword',
    'iam:GetAccountPasswordPolicy',
    'iam:GetMFADevice',
    'iam:GetUser',
    'iam:ListMFADevices',
    'iam:ListVirtualMFADevices',
    'sts:GetSessionToken',
    // No policy can deny it (AWS, and the simulator, always allow it).
    'sts:GetCallerIdentity',
  ]);
  const actions = [...listActions('iam'), ...listActions('sts'), 's3:GetObject', 'ec2:RunInstances', 'organizations:ListAccounts']
    .filter((a) => !selfService.has(a))
    .sort();

  it('denies every IAM and STS action and a few others beside AdministratorAccess, for a key and a console session without MFA', async () => {
    expect(actions.length).toBeGreaterThan(150);
    const allowed: string[] = [];
    for (const action of actions) {
      for (const session of ['long-term key', 'console, no MFA'] as const) {
        if ((await decide(action, '*', session, true)) !== 'ExplicitlyDenied') allowed.push(`${session}: ${action}`);
      }
    }
    expect(allowed).toEqual([]);
  });

  it('with MFA, AdministratorAccess applies again (the deny is only about MFA)', async () => {
    expect(await decide('s3:GetObject', '*', 'MFA', true)).toBe('Allowed');
    expect(await decide('iam:CreateVirtualMFADevice', resourceFor('iam:CreateVirtualMFADevice'), 'MFA')).toBe('Allowed');
  });
});
