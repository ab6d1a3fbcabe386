/**
 * npm test's proof of the access matrix: the synthesized Terraform JSON,
 * evaluated by an independent IAM simulator, must agree with the matrix for
 * every person x account x role (see prove.ts for what is asked).
 */
import * as path from 'path';
import { proveAccess, type Proof } from './prove';

const ROOT = path.join(__dirname, '..', '..');
const CASES: Array<[string, string]> = [
  ['the example organisation', path.join(ROOT, 'config', 'org.yaml')],
  ['fixture holds.yaml', path.join(ROOT, 'test', 'fixtures', 'access', 'holds.yaml')],
  ['fixture levels.yaml', path.join(ROOT, 'test', 'fixtures', 'access', 'levels.yaml')],
];

describe.each(CASES)('the simulator agrees with the matrix: %s', (_name, file) => {
  let proof: Proof;
  beforeAll(async () => {
    proof = await proveAccess(file);
    const kinds = Object.entries(proof.verdicts.byKind)
      .map(([kind, v]) => `  ${kind}: ${v.allowed} allowed, ${v.denied} denied`)
      .join('\n');
    // The verdict counts are part of the evidence: print them with the test run.
    console.log(`${path.relative(ROOT, file)}: ${proof.verdicts.allowed} allowed, ${proof.verdicts.denied} denied, ${proof.mismatches.length} mismatches\n${kinds}`);
  });

  test('every role the file grants is in the JSON, and no other', () => {
    expect(proof.missingRoles).toEqual([]);
    expect(proof.unknownRoles).toEqual([]);
    expect(proof.iam.roles.length).toBeGreaterThan(0);
  });

  test('no verdict differs from the matrix', () => {
    expect(proof.mismatches).toEqual([]);
  });

  test('both answers occur: members are allowed in, everyone else and every bad context is denied', () => {
    const assume = proof.verdicts.byKind['assume: MFA 5 minutes old, own session name'];
    expect(assume.allowed).toBeGreaterThan(0);
    expect(assume.denied).toBeGreaterThan(0);
    for (const kind of [
      'assume without MFA (key absent)',
      'assume with MFA false',
      'assume with MFA as old as mfaMaxAge',
      'assume with MFA older than mfaMaxAge',
      'assume with another session name',
    ]) {
      expect(proof.verdicts.byKind[kind]).toEqual({ allowed: 0, denied: assume.allowed });
    }
    expect(proof.verdicts.byKind['role: evidence action of its permission set'].denied).toBe(0);
  });
});
