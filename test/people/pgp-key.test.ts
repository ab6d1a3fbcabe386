/**
 * Issue 20, finding 4: a PGP key Terraform cannot encrypt to (signing-only,
 * expired, revoked, RSA < 2048, a private key) is refused at validate, at
 * the person's pgpKey, instead of failing at apply in the identity stack.
 * The fixtures are real keys made with gpg in a throwaway GNUPGHOME
 * (--quick-gen-key / --quick-add-key ... encr; the expired one with
 * --faked-system-time 2020), base64 of the binary export.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { loadOrgText } from '../../src/model/load';
import { checkPgpKeys } from '../../src/model/pgp';
import { runCli } from '../helpers/cli';

const EXAMPLE = path.join(__dirname, '..', '..', 'config', 'org.yaml');

const key = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', 'pgp', `${name}.b64`), 'utf8').trim();

const org = (pgpKey: string) => `version: 1
organization: { name: acme, region: eu-west-1, master: master }
accounts:
  master: { id: "111111111111" }
  production: { id: "222222222222" }
permissions:
  admin: { managed: [AdministratorAccess] }
functions:
  operations: { access: { production: admin } }
people:
  alice:
    name: Alice Example
    email: alice@acme.example
    functions: [operations]
    console: true
    pgpKey: ${pgpKey}
`;

function diagnostics(pgpKey: string): string[] {
  return loadOrgText(org(pgpKey), 'org.yaml').diagnostics.map(formatDiagnostic);
}

describe('pgpKey is read with OpenPGP.js', () => {
  test.each([['good-rsa'], ['good-ecc']])('%s (an encryption subkey, valid, strong): no diagnostic', (name) => {
    expect(diagnostics(key(name))).toEqual([]);
  });

  test.each([
    ['sign', /has no key that can encrypt \(a signing-only export: its primary key is eddsaLegacy ed25519Legacy\)/, /quick-add-key/],
    ['expired', /expired on 2020-06-01T12:00:00Z/, /quick-set-expire/],
    ['revoked', /is revoked/, /current key/],
    ['weak', /too weak to encrypt to \(rsaEncryptSign 1024 bits, fewer than 2048\)/, /RSA 3072/],
  ])('%s: one located error at people.alice.pgpKey with a fix', (name, message, fix) => {
    const found = diagnostics(key(name));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^org\.yaml:16:5: error RC139: people\.alice\.pgpKey: the pgpKey of alice /);
    expect(found[0]).toMatch(message);
    expect(found[0]).toMatch(/\n {2}expected: /);
    expect(found[0].split('\n  fix: ')[1]).toMatch(fix);
  });

  test("bytes that start like a key but are not one: RC129 with the reader's reason", () => {
    const junk = Buffer.concat([Buffer.from([0x99, 0x01, 0x0d, 0x04]), Buffer.alloc(60, 7)]).toString('base64');
    const found = diagnostics(junk);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/error RC129: people\.alice\.pgpKey: pgpKey is not a readable OpenPGP public key \(/);
  });

  test('keybase: keys cannot be read offline: no diagnostic (validate says so in its summary)', () => {
    expect(diagnostics('keybase:alice')).toEqual([]);
  });

  test('validate ends with a line naming the keybase: keys it could not check', async () => {
    const { code, out } = await runCli(['validate', '--config', EXAMPLE]);
    expect(code).toBe(0);
    expect(out).toContain(
      'pgpKeys: 0 read and checked; 6 keybase: (alice, bob, carol, dave, erin, ... (1 more)) cannot be checked offline: Terraform fetches them from keybase.io at apply.',
    );
  });

  test('a verdict depends on the time asked: valid before its subkey expires, expired after, from the cache', () => {
    // Only this test reads this key, always at a time before 2030: the analysis kept is the one made here.
    const expiring = key('expiring-2030');
    expect(checkPgpKeys([expiring], Date.parse('2027-01-01T00:00:00Z')).get(expiring)).toEqual({
      detail: expect.stringMatching(/ecdh curve25519Legacy/),
      expires: '2030-01-01T12:00:00.000Z',
    });
    // The second call is answered from the analysis kept (no worker), and sees the expiry.
    expect(checkPgpKeys([expiring], Date.parse('2030-02-01T00:00:00Z')).get(expiring)).toEqual({
      problem: 'expired',
      detail: '2030-01-01T12:00:00.000Z',
    });
  });

  test('white space inside the base64 (a wrapped paste) reads the same key', () => {
    const wrapped = key('good-ecc').replace(/(.{64})/g, '$1\n      ');
    expect(checkPgpKeys([wrapped]).get(wrapped)).toEqual({ detail: expect.any(String) });
  });
});
