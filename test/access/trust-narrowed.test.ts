/**
 * Issue 16, finding 8: an IAM user in the identity account that the file
 * does not list (left from before, or made by hand) with AdministratorAccess
 * and MFA could assume every function role: the trust admitted the whole
 * identity account. Now rolecall's users live under ROLECALL_USER_PATH and
 * every function role's human statement demands aws:PrincipalArn under it.
 *
 * Proved with the IAM simulator over the synthesized JSON, in the layouts
 * that build trust differently: the identity account as the master, the
 * identity account apart with people shards, a shared role, and a machine
 * principal (which keeps its own statement and still assumes).
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { managedPolicyDocument } from '../../src/iam/managed-policies';
import { compileOrgText } from '../../src/plan/compile';
import { ROLECALL_USER_PATH } from '../../src/plan/names';
import { synthesizeApp } from '../../src/stacks/app';
import {
  readSynthesizedIam,
  simulateAssumeRole,
  simulatePrincipalAssumeRole,
  simulateUserAssumeRole,
  type PolicyDoc,
  type SynthIam,
} from '../helpers/simulate';

const CI_ROLE = 'arn:aws:iam::555555555555:role/ci';

function org(identityApart: boolean): string {
  return `version: 1
organization:
  name: acme
  region: eu-west-1
  master: master
${identityApart ? '  identity: people\n  peopleShards: 2\n' : ''}accounts:
  master: { id: "111111111111" }
${identityApart ? '  people: { id: "444444444444" }\n' : ''}  production: { id: "222222222222" }
  development: { id: "333333333333" }
permissions:
  admin: { managed: [AdministratorAccess] }
  read: { managed: [ReadOnlyAccess] }
functions:
  operations:
    access: { production: admin, development: admin }
  developers:
    access:
      - accounts: [production]
        permissions: read
        role: readonly
      - accounts: [development]
        permissions: admin
  auditors:
    access:
      - accounts: [production, development]
        permissions: read
        role: readonly
  deployers:
    access: { development: admin }
    principals: ["${CI_ROLE}"]
people:
  alice: { name: Alice, email: alice@acme.example, functions: [operations] }
  bob: { name: Bob, email: bob@acme.example, functions: [developers, auditors] }
  carol: { name: Carol, email: carol@acme.example, functions: [deployers] }
`;
}

const MFA = { mfa: true, mfaAgeSeconds: 300 };
const ADMIN: Array<{ name: string; policy: PolicyDoc }> = [
  { name: 'AdministratorAccess', policy: managedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess') as unknown as PolicyDoc },
];

describe.each([
  ['identity account = master', false],
  ['identity account apart, people sharded', true],
])('finding 8: only rolecall users assume function roles (%s)', (_name, identityApart) => {
  let tmp: string;
  let iam: SynthIam;
  let identityId: string;
  beforeAll(() => {
    const result = compileOrgText(org(identityApart), 'org.yaml');
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'rolecall-trust-'));
    synthesizeApp(result.plan, tmp);
    iam = readSynthesizedIam(tmp);
    identityId = identityApart ? '444444444444' : '111111111111';
    expect(iam.masterAccountId).toBe(identityId);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const role = (account: string, name: string) => iam.roles.find((r) => r.accountId === account && r.name === name)!;
  const functionRoles = () => iam.roles.filter((r) => r.stack.startsWith('account-'));

  it(`every person is an IAM user under ${ROLECALL_USER_PATH}`, () => {
    expect(iam.userPaths).toEqual({ alice: ROLECALL_USER_PATH, bob: ROLECALL_USER_PATH, carol: ROLECALL_USER_PATH });
  });

  it('every function role trusts the identity account for its rolecall users only, by aws:PrincipalArn', () => {
    expect(functionRoles().length).toBe(6);
    for (const r of functionRoles()) {
      const human = r.trustPolicy.Statement.find((s) => s.Sid === 'AssumeFromMasterWithMfa')!;
      expect(human.Principal).toEqual({ AWS: `arn:aws:iam::${identityId}:root` });
      expect((human.Condition as Record<string, unknown>).ArnLike).toEqual({
        'aws:PrincipalArn': `arn:aws:iam::${identityId}:user${ROLECALL_USER_PATH}*`,
      });
    }
  });

  it('a member assumes their roles (own, shared, machine-principal function); MFA and session name still hold', async () => {
    expect(await simulateAssumeRole(iam, 'alice', role('222222222222', 'operations'), MFA)).toBe('Allowed');
    expect(await simulateAssumeRole(iam, 'bob', role('222222222222', 'readonly'), MFA)).toBe('Allowed');
    expect(await simulateAssumeRole(iam, 'bob', role('333333333333', 'readonly'), MFA)).toBe('Allowed');
    expect(await simulateAssumeRole(iam, 'carol', role('333333333333', 'deployers'), MFA)).toBe('Allowed');
    expect(await simulateAssumeRole(iam, 'alice', role('222222222222', 'operations'), { mfa: false })).not.toBe('Allowed');
    expect(await simulateAssumeRole(iam, 'bob', role('222222222222', 'operations'), MFA)).not.toBe('Allowed');
  });

  it('the machine principal still assumes its function role without MFA', async () => {
    expect(await simulatePrincipalAssumeRole(CI_ROLE, role('333333333333', 'deployers'))).toBe('Allowed');
  });

  it('an unlisted user of the identity account with AdministratorAccess and MFA is denied every function role', async () => {
    const mallory = `arn:aws:iam::${identityId}:user/mallory`;
    for (const r of functionRoles()) {
      expect([r.arn, await simulateUserAssumeRole(mallory, ADMIN, r, MFA)]).toEqual([r.arn, 'ImplicitlyDenied']);
    }
    // Another path is not rolecall's either, even one that starts alike.
    const lookalike = `arn:aws:iam::${identityId}:user/rolecallx/mallory`;
    expect(await simulateUserAssumeRole(lookalike, ADMIN, role('222222222222', 'operations'), MFA)).toBe('ImplicitlyDenied');
  });

  it('the check can fail: the same user under the rolecall path is allowed (what admin of the identity account can do, and the report models)', async () => {
    const insider = `arn:aws:iam::${identityId}:user${ROLECALL_USER_PATH}mallory`;
    expect(await simulateUserAssumeRole(insider, ADMIN, role('222222222222', 'operations'), MFA)).toBe('Allowed');
  });

  it('RequireMFA lets a person manage their own MFA device at the new path', () => {
    const stack = identityApart ? 'identity' : 'master';
    const json = readFileSync(path.join(tmp, 'stacks', stack, 'cdk.tf.json'), 'utf8');
    expect(json).toContain(`arn:aws:iam::${identityId}:user${ROLECALL_USER_PATH}$\${aws:username}`);
    expect(json).not.toContain(`arn:aws:iam::${identityId}:user/$\${aws:username}`);
  });
});
