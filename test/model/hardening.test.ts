/**
 * Issue 7, findings 4, 6 and 7 (and the validate half of 1): every value AWS
 * would reject, every loader trap, every name that can never hold Terraform
 * syntax is a located error with what was expected and a fix. Each case
 * passed `validate` (or crashed it) before.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { formatDiagnostic, type Diagnostic } from '../../src/model/diagnostics';
import { loadOrgText } from '../../src/model/load';
import { compileOrgText } from '../../src/plan/compile';
import { SOURCE_LIMITS } from '../../src/model/source';

const BASE = `version: 1
organization:
  name: acme
  region: eu-west-1
  master: master
accounts:
  master:
    id: "111111111111"
  production:
    id: "222222222222"
    tags: { cost-center: platform }
permissions:
  admin:
    managed: [AdministratorAccess]
functions:
  operations:
    description: Runs production
    access: { production: admin }
people:
  alice:
    name: Alice Example
    email: alice@acme.example
    functions: [operations]
    console: true
    pgpKey: keybase:alice
`;

/** Loads BASE with `replace` applied ([from, to] pairs, or an appended text), returning the printed errors. */
function errors(change: Array<[string, string]> | string): string[] {
  let text = BASE;
  if (typeof change === 'string') text += change;
  else
    for (const [from, to] of change) {
      if (!text.includes(from)) throw new Error(`BASE has no ${from}`);
      text = text.replace(from, to);
    }
  const result = loadOrgText(text, 'org.yaml');
  return result.diagnostics.filter((d: Diagnostic) => d.severity === 'error').map(formatDiagnostic);
}

/** One error, located (file:line:col: error: path:), with an expected line and a fix line. */
function expectOne(found: string[], where: RegExp, message: RegExp): void {
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(where);
  expect(found[0]).toMatch(message);
  expect(found[0]).toMatch(/\n {2}expected: /);
  expect(found[0]).toMatch(/\n {2}fix: /);
}

test('the base file is valid', () => {
  expect(errors([])).toEqual([]);
  expect(compileOrgText(BASE, 'org.yaml').plan).toBeDefined();
});

describe('finding 1: validate refuses Terraform and CDKTF syntax where it can never be legitimate', () => {
  test.each([
    [
      'rolePath',
      [['  master: master\n', '  master: master\n  rolePath: /${file("x")}/\n']],
      /org.yaml:6:3: error RC128: organization.rolePath: contains "\$\{"/,
    ],
    [
      'a tag key',
      [['cost-center: platform', '"%{if true}x%{endif}": platform']],
      /org.yaml:11:\d+: error RC128: accounts.production.tags\["%\{if true\}x%\{endif\}"\]: contains "%\{"/,
    ],
  ] as Array<[string, Array<[string, string]>, RegExp]>)('%s', (_what, change, where) => {
    const found = errors(change);
    expect(found.some((e) => where.test(e) && /fix: remove/.test(e))).toBe(true);
  });

  test('a CDKTF token text in a key and in an e-mail', () => {
    const found = errors([
      ['cost-center: platform', '"${TfToken[TOKEN.5]}": platform'],
      ['    id: "222222222222"\n', '    id: "222222222222"\n    email: "x${TfToken[TOKEN.1]}@acme.example"\n'],
    ]);
    expect(found.join('\n')).toMatch(/accounts\.production\.email: contains "\$\{"/);
    expect(found.join('\n')).toMatch(/accounts\.production\.tags\["\$\{TfToken\[TOKEN\.5\]\}"\]: contains "\$\{"/);
  });
});

describe('finding 4: the deploy role is not a function', () => {
  test('deploy.assumeRoleName equal to a function name, in any case', () => {
    expectOne(
      errors('deploy:\n  assumeRoleName: Operations\n'),
      /^org\.yaml:16:3: error RC606: functions\.operations: /,
      /deploy\.assumeRoleName "Operations" is also the name of function "operations"/,
    );
  });
});

describe('finding 6: the loader', () => {
  test('1,000 nested [ is a located error, not a stack overflow', () => {
    const found = errors(`x: ${'['.repeat(1000)}${']'.repeat(1000)}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^org\.yaml:26:\d+: error RC009: \(top level\): the YAML nests more than 64 levels deep here/);
  });

  test('deep block nesting too', () => {
    let text = 'x:\n';
    for (let i = 1; i < 70; i++) text += `${' '.repeat(i)}a:\n`;
    expect(errors(text)[0]).toMatch(/nests more than 64 levels/);
  });

  test('a file over the size limit', () => {
    const found = loadOrgText(`# ${'x'.repeat(SOURCE_LIMITS.bytes)}\n${BASE}`, 'org.yaml').diagnostics.map(formatDiagnostic);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^org\.yaml:1:1: error RC003: \(top level\): the org file is 16,777,\d{3} bytes, over rolecall's limit of 16,777,216/,
    );
  });

  test.each(['accounts', 'people', 'functions', 'permissions'])(
    '__proto__ and constructor under %s are refused, not dropped',
    (section) => {
      const entry = section === 'people' ? '{ name: X, email: x@acme.example }' : section === 'accounts' ? '{ id: "333333333333" }' : '{}';
      const found = errors([[`${section}:\n`, `${section}:\n  __proto__: ${entry}\n  constructor: ${entry}\n`]]);
      expect(found.filter((e) => /is reserved/.test(e)).map((e) => e.split('\n')[0].replace(/:\d+:\d+:/, ':L:C:'))).toEqual([
        `org.yaml:L:C: error RC010: ${section}.__proto__: the key "__proto__" is reserved`,
        `org.yaml:L:C: error RC010: ${section}.constructor: the key "constructor" is reserved`,
      ]);
      expect(found.join('\n')).not.toMatch(/got a map/);
    },
  );

  test('%YAML 1.1 is refused; without it, `yes` is a string and `<<` an unknown key', () => {
    const found = loadOrgText(`%YAML 1.1\n---\n${BASE.replace('console: true', 'console: yes')}`, 'org.yaml').diagnostics.map(
      formatDiagnostic,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^org\.yaml:1:1: error RC011: \(top level\): the file asks for YAML 1\.1; rolecall reads YAML 1\.2 only\n {2}expected: .*\n {2}fix: remove the %YAML line/,
    );
    expect(errors([['console: true', 'console: yes']]).join('\n')).toMatch(/people\.alice\.console: expected true or false, got a string/);
    expect(errors([['    console: true\n', '    console: true\n    <<: { accessKey: true }\n']]).join('\n')).toMatch(/unknown key "<<"/);
  });

  test('names that differ only in case: people, and functions named like RequireMFA or OrganizationAccountAccessRole', () => {
    const people = errors('  Alice:\n    name: Alice Again\n    email: alice2@acme.example\n');
    expectOne(people, /^org\.yaml:\d+:3: error RC123: people\.Alice: /, /person "Alice" differs from "alice" only in case/);
    const fn = (name: string, extra = '') =>
      errors(
        [['  operations:\n    description', `  ${name}:\n    access: { production: admin }\n  operations:\n    description`]].concat(
          extra ? [['people:\n', `${extra}people:\n`]] : [],
        ) as Array<[string, string]>,
      );
    expectOne(
      fn('requiremfa'),
      /error RC222: functions\.requiremfa: /,
      /function "requiremfa" has the name of the group every person is in "RequireMFA"/,
    );
    // With the default deploy role, the deploy role message says it more precisely.
    expectOne(
      fn('organizationaccountaccessrole'),
      /error RC606: functions\.organizationaccountaccessrole: /,
      /deploy\.assumeRoleName "OrganizationAccountAccessRole" is also/,
    );
    expectOne(
      fn('organizationaccountaccessrole', 'deploy:\n  assumeRoleName: Deployer\n'),
      /error RC222: functions\.organizationaccountaccessrole: /,
      /has the name of the role AWS Organizations creates in every new account "OrganizationAccountAccessRole"/,
    );
  });

  test('a 300-character account name is refused by validate (it would crash synth with ENAMETOOLONG)', () => {
    const long = `a${'b'.repeat(299)}`;
    const found = errors([
      ['  production:\n', `  ${long}:\n`],
      ['{ production: admin }', `{ ${long}: admin }`],
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^org\\.yaml:9:3: error RC121: accounts\\.${long}: .*300 characters`));
  });
});

describe('finding 7: values AWS rejects', () => {
  test.each([
    [
      'a tag value outside the alphabet',
      [['cost-center: platform', 'cost-center: "plat#form"']],
      /accounts\.production\.tags\.cost-center: tag value of cost-center "plat#form" contains "#"/,
    ],
    [
      'a tag value over 256 characters',
      [['cost-center: platform', `cost-center: ${'x'.repeat(257)}`]],
      /tag value of cost-center ".*" is 257 characters long/,
    ],
    ['an aws: tag key', [['cost-center: platform', '"aws:owner": platform']], /tag key "aws:owner" starts with "aws:"/],
    [
      'a description over 1,000 characters',
      [['description: Runs production', `description: ${'x'.repeat(1001)}`]],
      /functions\.operations\.description: the description of function operations is 1001 characters long/,
    ],
    [
      'a description IAM cannot store',
      [['description: Runs production', 'description: "Runs 🚀 production"']],
      /functions\.operations\.description: .*contains "🚀"/,
    ],
    [
      'a pgpKey that is neither keybase: nor base64',
      [['pgpKey: keybase:alice', 'pgpKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----"']],
      /people\.alice\.pgpKey: pgpKey is neither keybase:USERNAME nor a base64 PGP public key/,
    ],
  ] as Array<[string, Array<[string, string]>, RegExp]>)('%s', (_what, change, message) => {
    const found = errors(change);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^org\.yaml:\d+:\d+: error RC1\d\d: /);
    expect(found[0]).toMatch(message);
    expect(found[0]).toMatch(/\n {2}expected: /);
  });

  test('a base64 OpenPGP public key is accepted', () => {
    // A real key (gpg --export | base64 -w0): since issue 20 the key is read, not only its first packet header.
    const key = readFileSync(path.join(__dirname, '..', 'fixtures', 'pgp', 'good-ecc.b64'), 'utf8');
    expect(errors([['pgpKey: keybase:alice', `pgpKey: ${key}`]])).toEqual([]);
  });

  const statements = (body: string) =>
    errors([['    managed: [AdministratorAccess]\n', `    managed: [AdministratorAccess]\n    statements:\n${body}`]]);

  test('duplicate Sids in one permission set', () => {
    const found = statements('      - { sid: Same, actions: ["s3:GetObject"] }\n      - { sid: Same, actions: ["s3:PutObject"] }\n');
    expectOne(
      found,
      /^org\.yaml:\d+:\d+: error RC156: permissions\.admin\.statements\[1\]\.sid: /,
      /Sid "Same" is used twice in this permission set \(first in statement 0\)/,
    );
  });

  test('a condition operator that does not exist, with a suggestion', () => {
    const found = statements(
      '      - actions: ["s3:GetObject"]\n        conditions: { StringEqualz: { "aws:PrincipalOrgID": o-abc123defg } }\n',
    );
    expectOne(
      found,
      /permissions\.admin\.statements\[0\]\.conditions\.StringEqualz: /,
      /unknown condition operator "StringEqualz"[^]*fix: did you mean "StringEquals"\?/,
    );
  });

  test('IfExists and ForAnyValue: forms are accepted; NullIfExists is not', () => {
    expect(
      statements(
        '      - actions: ["s3:GetObject"]\n        conditions: { "ForAnyValue:StringLikeIfExists": { "aws:TagKeys": [a] }, BoolIfExists: { "aws:SecureTransport": true } }\n',
      ),
    ).toEqual([]);
    expect(
      statements('      - actions: ["s3:GetObject"]\n        conditions: { NullIfExists: { "aws:TagKeys": true } }\n').join('\n'),
    ).toMatch(/unknown condition operator "NullIfExists"/);
  });

  test('condition keys unknown for their service, and unknown global keys', () => {
    const found = statements(
      '      - actions: ["s3:GetObject"]\n        conditions: { StringEquals: { "s3:prefx": a, "aws:PrincipalOrgId": o-abc123defg, "aws:PrincipalTagz/team": x, "s3:ExistingObjectTag/team": x } }\n',
    );
    expect(found).toHaveLength(2);
    expect(found[1]).toMatch(/conditions\.StringEquals\["aws:PrincipalTagz\/team"\]: unknown global condition key/);
    expect(found[0]).toMatch(
      /conditions\.StringEquals\["s3:prefx"\]: condition key "s3:prefx" does not exist for service s3[^]*fix: did you mean "s3:prefix"\?/,
    );
  });

  test('more people than IAM users an account may hold', () => {
    let people = '';
    for (let i = 0; i < 5001; i++) people += `  p${i}: { name: P, email: p${i}@acme.example }\n`;
    const found = errors(people);
    expectOne(found, /^org\.yaml:\d+:1: error RC408: people: /, /5,002 people, but an AWS account holds at most 5,000 IAM users/);
  });

  test('names over IAM limits: a permission set name over 128 characters', () => {
    const long = `p${'x'.repeat(128)}`;
    const found = errors([
      ['  admin:\n', `  ${long}:\n`],
      ['{ production: admin }', `{ production: ${long} }`],
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/permission set .* is 129 characters long/);
  });
});
