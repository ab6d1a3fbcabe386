/**
 * Issue 11's proofs through the independent simulator, on the synthesized
 * Terraform JSON of config/org-large-company.yaml (identity account apart
 * from the management account):
 * - a member of a function naming a shared role can assume it, a member of
 *   another function cannot;
 * - a machine principal the file names can assume its role without MFA, a
 *   principal other than the named one cannot;
 * - the whole matrix agrees with the simulator (prove.ts), as for config/org.yaml.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { synthesizeApp } from '../../src/stacks/app';
import { readSynthesizedIam, simulateAssumeRole, simulatePrincipalAssumeRole, type SynthIam, type SynthRole } from '../helpers/simulate';
import { proveAccess, type Proof } from './prove';

const LARGE = path.join(__dirname, '..', '..', 'config', 'org-large-company.yaml');
const FRESH = { mfa: true, mfaAgeSeconds: 300 };

let iam: SynthIam;
beforeAll(() => {
  const compiled = compileOrgFile(LARGE);
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-real-orgs-'));
  try {
    synthesizeApp(compiled.plan!, outdir);
    iam = readSynthesizedIam(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});

function role(arn: string): SynthRole {
  const found = iam.roles.find((r) => r.arn === arn);
  if (!found) throw new Error(`no role ${arn} in the JSON`);
  return found;
}

test('people live in the identity account, apart from the management account', () => {
  expect(iam.masterAccountId).toBe('100000000002');
});

describe('a shared role (readonly in production, named by backend and frontend)', () => {
  const readonly = () => role('arn:aws:iam::100000000006:role/readonly');

  test.each([
    ['ben', 'backend'],
    ['fay', 'frontend'],
    ['bo', 'backend and frontend'],
  ])('%s (%s) may assume it with fresh MFA', async (person) => {
    expect(await simulateAssumeRole(iam, person, readonly(), FRESH)).toBe('Allowed');
  });

  test.each([
    ['ada', 'platform: admin there, readonly only elsewhere'],
    ['sam', 'security'],
    ['fin', 'finance'],
  ])('%s (%s) may not', async (person) => {
    expect(await simulateAssumeRole(iam, person, readonly(), FRESH)).toBe('ImplicitlyDenied');
  });

  test("each function's own MFA age holds: 20h-old MFA lets frontend in (24h), not backend (12h)", async () => {
    const old = { mfa: true, mfaAgeSeconds: 20 * 3600 };
    expect(await simulateAssumeRole(iam, 'fay', readonly(), old)).toBe('Allowed');
    expect(await simulateAssumeRole(iam, 'ben', readonly(), old)).toBe('ImplicitlyDenied');
    expect(await simulateAssumeRole(iam, 'bo', readonly(), old)).toBe('Allowed');
  });

  test('without MFA nobody gets in, shared or not', async () => {
    for (const person of ['ben', 'fay', 'bo']) expect(await simulateAssumeRole(iam, person, readonly(), {})).not.toBe('Allowed');
  });
});

describe('machine principals (terraform in staging, named by function ci)', () => {
  const terraform = () => role('arn:aws:iam::100000000007:role/terraform');

  test.each(['arn:aws:iam::100000000004:role/github-actions/deploy', 'arn:aws:iam::200000000001:role/partner-deployer'])(
    'the named principal %s may assume it without MFA',
    async (arn) => {
      expect(await simulatePrincipalAssumeRole(arn, terraform())).toBe('Allowed');
    },
  );

  test.each([
    'arn:aws:iam::100000000004:role/github-actions/other', // another role in the CI account
    // Not asked: the same name on another path (role/deploy). Session ARNs carry no path, so the
    // simulator cannot tell them apart; AWS can: it binds a trusted role ARN to the role's unique id.
    'arn:aws:iam::200000000002:role/partner-deployer', // the same name in another account
    'arn:aws:iam::100000000002:role/anything', // a role in the identity account
  ])('a principal other than the named ones (%s) may not', async (arn) => {
    expect(await simulatePrincipalAssumeRole(arn, terraform())).toBe('ImplicitlyDenied');
  });

  test('people not in ci may not, even with MFA; roles without principals trust no machine', async () => {
    expect(await simulateAssumeRole(iam, 'ada', terraform(), FRESH)).toBe('ImplicitlyDenied');
    const admin = role('arn:aws:iam::100000000007:role/admin');
    expect(await simulatePrincipalAssumeRole('arn:aws:iam::100000000004:role/github-actions/deploy', admin)).toBe('ImplicitlyDenied');
  });

  test('every role trusts either MFA or an exactly named principal, never anything else', () => {
    for (const r of iam.roles) {
      for (const s of r.trustPolicy.Statement) {
        const principal = JSON.stringify(s.Principal);
        expect(principal).not.toContain('*');
        const mfa = JSON.stringify(s.Condition ?? {}).includes('"aws:MultiFactorAuthPresent":"true"');
        expect(mfa || s.Sid === 'AssumeFromNamedPrincipals').toBe(true);
      }
    }
  });
});

describe('the simulator agrees with the matrix: config/org-large-company.yaml', () => {
  let proof: Proof;
  beforeAll(async () => {
    proof = await proveAccess(LARGE);
    if (process.env.ROLECALL_TEST_VERBOSE)
      console.log(
        `config/org-large-company.yaml: ${proof.verdicts.allowed} allowed, ${proof.verdicts.denied} denied, ${proof.mismatches.length} mismatches`,
      );
  }, 600_000);

  test('every role the file grants is in the JSON, and no other', () => {
    expect(proof.missingRoles).toEqual([]);
    expect(proof.unknownRoles).toEqual([]);
  });

  test('no verdict differs from the matrix', () => {
    expect(proof.mismatches).toEqual([]);
    expect(proof.verdicts.allowed).toBeGreaterThan(0);
    expect(proof.verdicts.denied).toBeGreaterThan(0);
  });
});
