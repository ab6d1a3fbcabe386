/**
 * Issue 11 (real organisations), model side: shared roles, per-account
 * session length, machine principals, identity permissions, aliases, custom
 * SCPs, the password policy and the identity account. Each refusal is a
 * located error with what was expected (and a fix where one exists).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { loadOrgText } from '../../src/model/load';
import { formatDiagnostic, type Diagnostic } from '../../src/model/diagnostics';

const ROOT = path.join(__dirname, '..', '..');

/** A small org: identity apart from the master; `extra` is appended (functions, scps, ...). */
function org(extra: string, organization = ''): string {
  return `version: 1
organization:
  name: acme
  region: eu-west-1
  master: master
  identity: people
${organization}accounts:
  master: { id: "111111111111" }
  people: { id: "222222222222", email: p@acme.example }
  production: { id: "333333333333", email: prod@acme.example, environment: production, data: customer }
  sandbox: { id: "444444444444", email: sb@acme.example }
permissions:
  admin: { managed: [AdministratorAccess] }
  logs: { managed: [CloudWatchLogsReadOnlyAccess] }
  billing: { managed: [AWSBillingReadOnlyAccess] }
${extra}`;
}

function errors(text: string): string[] {
  return loadOrgText(text, 'org.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
}

function notices(text: string): Diagnostic[] {
  return loadOrgText(text, 'org.yaml').diagnostics.filter((d) => d.severity === 'notice');
}

function model(text: string) {
  const result = loadOrgText(text, 'org.yaml');
  if (!result.model) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.model;
}

describe('shared roles', () => {
  const shared = (devSets: string, opsSets: string, opsSession = '') => `functions:
  dev:
    access:
      - accounts: [production]
        permissions: ${devSets}
        role: readonly
  ops:
    access:
      - accounts: [production]
        permissions: ${opsSets}
        role: readonly${opsSession}
`;

  test('two functions naming one role with the same permission sets resolve to that role', () => {
    const m = model(org(shared('logs', 'logs')));
    expect(m.grants.dev.production).toEqual([{ role: 'readonly', permissionSets: ['logs'], sessionDuration: 3600 }]);
    expect(m.grants.ops.production.map((g) => g.role)).toEqual(['readonly']);
  });

  test('different permission sets: a located error at both entries, with a fix', () => {
    expect(errors(org(shared('logs', '[logs, admin]')))).toEqual([
      'org.yaml:19:9: error RC225: functions.dev.access[0]: role "readonly" on account production gets permission sets [logs] from function dev, but [admin, logs] from function ops (functions.ops.access[0])\n' +
        '  expected: the same permission sets from every function naming a shared role\n' +
        '  fix: give both functions the same permission sets on production, or name different roles',
      'org.yaml:24:9: error RC225: functions.ops.access[0]: role "readonly" on account production gets permission sets [admin, logs] from function ops, but [logs] from function dev (functions.dev.access[0])\n' +
        '  expected: the same permission sets from every function naming a shared role\n' +
        '  fix: give both functions the same permission sets on production, or name different roles',
    ]);
  });

  test('different session lengths for one shared role are an error at both entries', () => {
    const found = errors(org(shared('logs', 'logs', '\n        sessionDuration: 4h')));
    expect(found).toHaveLength(2);
    expect(found[0]).toContain(
      'role "readonly" on account production gets a session length of 1h from function dev, but 4h from function ops',
    );
    expect(found[1]).toContain('fix: write the same sessionDuration on both access entries');
  });

  test('one function, two roles on one account: both granted (issue 20; this was error RC223)', () => {
    const text = org(`functions:
  dev:
    access:
      - accounts: [production]
        permissions: logs
        role: readonly
      - accounts: [production]
        permissions: admin
`);
    expect(errors(text)).toEqual([]);
    expect(model(text).grants.dev.production).toEqual([
      { role: 'dev', permissionSets: ['admin'], sessionDuration: 3600 },
      { role: 'readonly', permissionSets: ['logs'], sessionDuration: 3600 },
    ]);
  });

  test('role names that differ only in case clash; bad IAM names and the deploy role are refused', () => {
    const text = org(`functions:
  dev:
    access:
      - accounts: [production]
        permissions: logs
        role: ReadOnly
  ops:
    access:
      - accounts: [production]
        permissions: logs
        role: readonly
  bad:
    access:
      - accounts: [sandbox]
        permissions: logs
        role: "read only"
  sneaky:
    access:
      - accounts: [sandbox]
        permissions: admin
        role: organizationaccountaccessrole
`);
    const found = errors(text);
    expect(found.filter((e) => e.includes('are one name to IAM'))).toHaveLength(2);
    expect(found.some((e) => e.includes('functions.bad.access[0].role: invalid role name "read only"'))).toBe(true);
    expect(
      found.some((e) =>
        e.includes('functions.sneaky.access[0].role: role name "organizationaccountaccessrole" is the deploy role\'s name'),
      ),
    ).toBe(true);
  });
});

describe('per-account session length', () => {
  test("an access entry overrides the function's sessionDuration on its accounts only", () => {
    const m = model(
      org(`functions:
  dev:
    sessionDuration: 2h
    access:
      - accounts: [production]
        permissions: logs
        sessionDuration: 8h
      - accounts: [sandbox]
        permissions: admin
`),
    );
    expect(m.grants.dev.production[0].sessionDuration).toBe(8 * 3600);
    expect(m.grants.dev.sandbox[0].sessionDuration).toBe(2 * 3600);
  });

  test('out of the IAM range: located at the entry', () => {
    expect(
      errors(
        org(`functions:
  dev:
    access:
      - accounts: [production]
        permissions: logs
        sessionDuration: 13h
`),
      ),
    ).toEqual([
      'org.yaml:21:9: error RC124: functions.dev.access[0].sessionDuration: sessionDuration 13h is out of range\n  expected: between 1h and 12h (the IAM limits of a role session)',
    ]);
  });
});

describe('mfaMaxAge', () => {
  const fn = (age: string) => org(`functions:\n  dev:\n    mfaMaxAge: ${age}\n    access: { sandbox: logs }\n`);
  test('up to 24h is accepted, beyond is refused', () => {
    expect(errors(fn('24h'))).toEqual([]);
    expect(errors(fn('25h'))).toEqual([
      'org.yaml:18:5: error RC124: functions.dev.mfaMaxAge: mfaMaxAge 25h is out of range\n  expected: between 5m and 24h (shorter cannot be used in practice; longer would trust an MFA prompt older than a working day)',
    ]);
  });
});

describe('machine principals', () => {
  const fn = (principals: string) => org(`functions:\n  ci:\n    principals: ${principals}\n    access: { sandbox: admin }\n`);

  test('role ARNs (with paths) and account roots of other accounts are accepted', () => {
    expect(
      errors(fn('["arn:aws:iam::999999999999:role/ci/deployer", "arn:aws:iam::888888888888:root", "arn:aws:iam::111111111111:role/x"]')),
    ).toEqual([]);
  });

  test('wildcards, users, malformed ARNs, the identity account root and repeats are refused, each located', () => {
    const found = errors(
      fn(
        '["*", "arn:aws:iam::999999999999:role/*", "arn:aws:iam::999999999999:user/bob", "arn:aws:iam::99:root", "arn:aws:iam::222222222222:root", "arn:aws:iam::999999999999:root", "arn:aws:iam::999999999999:root"]',
      ),
    );
    expect(found.map((e) => e.split('\n')[0])).toEqual([
      'org.yaml:18:18: error RC133: functions.ci.principals[0]: principal "*" contains a wildcard',
      'org.yaml:18:23: error RC133: functions.ci.principals[1]: principal "arn:aws:iam::999999999999:role/*" contains a wildcard',
      'org.yaml:18:59: error RC132: functions.ci.principals[2]: principal "arn:aws:iam::999999999999:user/bob" is not an IAM role or account root ARN',
      'org.yaml:18:97: error RC132: functions.ci.principals[3]: principal "arn:aws:iam::99:root" is not an IAM role or account root ARN',
      'org.yaml:18:121: error RC228: functions.ci.principals[4]: principal arn:aws:iam::222222222222:root is the identity account people itself',
      'org.yaml:18:189: error RC211: functions.ci.principals[6]: principal "arn:aws:iam::999999999999:root" is listed twice',
    ]);
  });
});

describe('identity permissions', () => {
  test('name permission sets, checked like any reference', () => {
    expect(
      errors(org(`functions:\n  fin:\n    identityPermissions: [billing, biling]\n    access: { sandbox: logs }\n`)).map(
        (e) => e.split('\n')[0],
      ),
    ).toEqual(['org.yaml:18:36: error RC203: functions.fin.identityPermissions[1]: unknown permission set "biling"']);
  });
});

describe('account aliases', () => {
  const withAlias = (a: string, b = 'acme-sandbox') =>
    org('', '')
      .replace('production: { id: "333333333333",', `production: { alias: "${a}", id: "333333333333",`)
      .replace('sandbox: { id', `sandbox: { alias: "${b}", id`);

  test('valid aliases are accepted', () => {
    expect(errors(withAlias('acme-prod-1'))).toEqual([]);
  });

  test.each([['Acme'], ['ab'], ['-acme'], ['acme-'], ['acme--prod'], ['123456789012'], ['a'.repeat(64)]])(
    "%s is refused with AWS's rules",
    (alias) => {
      const found = errors(withAlias(alias));
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`accounts.production.alias: invalid account alias "${alias}"`);
      expect(found[0]).toContain('3 to 63 lowercase letters, digits and single hyphens');
    },
  );

  test('two accounts with one alias: refused at the second', () => {
    expect(errors(withAlias('acme-x', 'acme-x')).map((e) => e.split('\n')[0])).toEqual([
      'org.yaml:11:14: error RC326: accounts.sandbox.alias: account alias "acme-x" is also used by account "production"',
    ]);
  });
});

describe('password policy', () => {
  test("defaults are rolecall's values", () => {
    expect(model(org('')).org.organization.passwordPolicy).toEqual({ minimumLength: 14, maxAge: 90, reusePrevention: 24 });
  });

  test('AWS bounds are enforced per key; a length below 14 is a notice', () => {
    const bad = org('', '  passwordPolicy: { minimumLength: 5, maxAge: 1096, reusePrevention: 25 }\n');
    expect(errors(bad).map((e) => e.split('\n')[0])).toEqual([
      'org.yaml:7:21: error RC134: organization.passwordPolicy.minimumLength: minimumLength 5 is out of range',
      'org.yaml:7:39: error RC134: organization.passwordPolicy.maxAge: maxAge 1096 is out of range',
      'org.yaml:7:53: error RC134: organization.passwordPolicy.reusePrevention: reusePrevention 25 is out of range',
    ]);
    expect(errors(bad)[0]).toContain('expected: a whole number from 6 to 128');
    const weak = org('', '  passwordPolicy: { minimumLength: 8 }\n');
    expect(errors(weak)).toEqual([]);
    expect(
      notices(weak)
        .map((n) => n.message)
        .filter((m) => m.includes('passwordPolicy')),
    ).toEqual([expect.stringContaining("minimumLength 8 is below rolecall's default of 14")]);
  });
});

describe('custom SCPs', () => {
  const scps = (body: string, manage = true) => org(body, manage ? '  manage: true\n  id: o-abc123defg\n  rootId: r-ab12\n' : '');

  test('a valid SCP loads; without manage: true it is a notice, not an error', () => {
    const text = (manage: boolean) =>
      scps(
        `scps:\n  region-lock:\n    accounts: "*"\n    statements:\n      - notActions: ["iam:*"]\n        conditions: { StringNotEquals: { "aws:RequestedRegion": [eu-west-1] } }\n`,
        manage,
      );
    expect(errors(text(true))).toEqual([]);
    expect(errors(text(false))).toEqual([]);
    expect(
      notices(text(false))
        .map((n) => n.message)
        .filter((m) => m.includes('scps')),
    ).toEqual([expect.stringContaining('scps are emitted by the organization stack only')]);
    expect(
      notices(text(true))
        .map((n) => n.message)
        .filter((m) => m.includes('scps')),
    ).toEqual([]);
  });

  test('the management account, actions and notActions together, neither, resources with notResources, unknown actions: each located', () => {
    const found = errors(
      scps(`scps:
  bad:
    accounts: [sandbox, master]
    statements:
      - actions: ["ec2:RunInstances"]
        notActions: ["iam:*"]
      - resources: ["*"]
      - actions: ["ec2:RunInstance"]
        resources: ["*"]
        notResources: ["arn:aws:s3:::x"]
`),
    );
    expect(found.map((e) => e.split('\n')[0])).toEqual([
      'org.yaml:21:25: error RC329: scps.bad.accounts[1]: SCP "bad" selects the management account "master"',
      'org.yaml:23:9: error RC137: scps.bad.statements[0]: an SCP statement needs exactly one of actions and notActions',
      'org.yaml:25:9: error RC137: scps.bad.statements[1]: an SCP statement needs exactly one of actions and notActions',
      'org.yaml:26:9: error RC138: scps.bad.statements[2]: an SCP statement takes resources or notResources, not both',
      'org.yaml:26:19: error RC152: scps.bad.statements[2].actions[0]: unknown IAM action "ec2:RunInstance"',
    ]);
  });
});

describe('the identity account and selectors', () => {
  test('services on the identity account are refused (its SCP would deny the people)', () => {
    const text = org('').replace('people: { id: "222222222222",', 'people: { services: [s3], id: "222222222222",');
    expect(errors(text).map((e) => e.split('\n')[0])).toEqual([
      expect.stringContaining('accounts.people.services: services on the identity account "people" would deny the IAM users'),
    ]);
  });

  test('"*" leaves out both the master and the identity account; naming them grants them', () => {
    const m = model(
      org(
        `functions:\n  dev:\n    access:\n      - accounts: "*"\n        permissions: logs\n      - accounts: [people, master]\n        permissions: admin\n`,
      ),
    );
    expect(Object.keys(m.grants.dev)).toEqual(['master', 'people', 'production', 'sandbox']);
    expect(m.grants.dev.people[0].permissionSets).toEqual(['admin']);
    expect(m.grants.dev.sandbox[0].permissionSets).toEqual(['logs']);
  });
});

test('the large-company example loads without errors', () => {
  const text = readFileSync(path.join(ROOT, 'config', 'org-large-company.yaml'), 'utf8');
  expect(errors(text)).toEqual([]);
});
