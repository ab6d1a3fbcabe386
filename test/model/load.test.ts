/**
 * Loading org files end to end: every invalid fixture's diagnostics are
 * pinned as printed (formatDiagnostic), positions included, so a change in
 * wording or location is a deliberate one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { loadOrgFile, loadOrgText } from '../../src/model/load';

/** Grants as function -> account -> permission sets (roles and session lengths are pinned in test/model/real-orgs.test.ts). */
function grantSets(grants: Record<string, Record<string, Array<{ permissionSets: string[] }>>>): Record<string, Record<string, string[]>> {
  return Object.fromEntries(
    Object.entries(grants).map(([fn, byAccount]) => [
      fn,
      Object.fromEntries(Object.entries(byAccount).map(([a, g]) => [a, g.flatMap((r) => r.permissionSets)])),
    ]),
  );
}

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'model');

/** Loads a fixture under a short, stable display name (`invalid/x.yaml`). */
function load(name: string) {
  return loadOrgText(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), name);
}

const EXPECTED: Record<string, string[]> = {
  'bad-account-id.yaml': [
    'invalid/bad-account-id.yaml:8:5: error RC106: accounts.master.id: invalid value "11111111111"\n  expected: a 12-digit account id as a quoted string, e.g. "123456789012"',
    'invalid/bad-account-id.yaml:10:5: error RC103: accounts.production.id: expected a 12-digit account id as a quoted string, e.g. "123456789012", got a number\n  fix: quote it: "022222222222"',
    'invalid/bad-account-id.yaml:14:5: error RC306: accounts.testing.id: account id "333333333333" is also used by account "staging"\n  expected: a distinct id per account',
  ],
  'deploy.yaml': [
    'invalid/deploy.yaml:6:3: error RC303: organization.manage: organization.manage is true, but organization.id is missing\n  expected: organization.id, e.g. o-abc123defg (rolecall never creates the organization, it only reads its ids from the file)',
    'invalid/deploy.yaml:6:3: error RC303: organization.manage: organization.manage is true, but organization.rootId is missing\n  expected: organization.rootId, e.g. r-ab12 (rolecall never creates the organization, it only reads its ids from the file)',
    'invalid/deploy.yaml:12:3: error RC304: accounts.new-one: account "new-one" has neither id nor email\n  expected: id: its 12-digit account id, or email: to have the organization stack create it',
    'invalid/deploy.yaml:16:5: error RC124: functions.operations.mfaMaxAge: mfaMaxAge 2m is out of range\n  expected: between 5m and 24h (shorter cannot be used in practice; longer would trust an MFA prompt older than a working day)',
    'invalid/deploy.yaml:17:5: error RC124: functions.operations.sessionDuration: sessionDuration 30m is out of range\n  expected: between 1h and 12h (the IAM limits of a role session)',
    'invalid/deploy.yaml:18:5: error RC221: functions.operations.access: function "operations" grants no access\n  expected: at least one account in access',
    // backend s3 is supported since issue 10; tfc-dynamic needs backend cloud.
    'invalid/deploy.yaml:21:3: error RC603: deploy.credentials: deploy.credentials tfc-dynamic needs backend cloud, but backend is s3\n  expected: backend: cloud (HCP Terraform runs the plan and apply and presents its identity token to AWS)\n  fix: set backend: cloud with deploy.cloud, or use credentials: assume-role or environment',
  ],
  'duplicate-key.yaml': [
    'invalid/duplicate-key.yaml:11:3: error RC006: accounts.production: duplicate key "production"\n  fix: keep only one of them; the first "production" is on line 9',
  ],
  'iam.yaml': [
    'invalid/iam.yaml:11:20: error RC307: accounts.production.services[1]: unknown AWS service prefix "lamda"\n  expected: an IAM service prefix such as s3, ec2 or logs\n  fix: did you mean "lambda"?',
    'invalid/iam.yaml:15:9: error RC154: permissions.buckets.managed[0]: unknown AWS managed policy "AdministratorAcess"\n  expected: a managed policy name (AdministratorAccess), path/name (job-function/NetworkAdministrator) or ARN\n  fix: did you mean "AdministratorAccess"?',
    'invalid/iam.yaml:16:9: error RC154: permissions.buckets.managed[1]: unknown AWS managed policy "service-role/NetworkAdministrator"\n  expected: a managed policy name (AdministratorAccess), path/name (job-function/NetworkAdministrator) or ARN\n  fix: did you mean "job-function/NetworkAdministrator"?',
    'invalid/iam.yaml:17:9: error RC154: permissions.buckets.managed[2]: unknown AWS managed policy "arn:aws:iam::aws:policy/ReadOnlyAccesss"\n  expected: a managed policy name (AdministratorAccess), path/name (job-function/NetworkAdministrator) or ARN\n  fix: did you mean "arn:aws:iam::aws:policy/ReadOnlyAccess"?',
    'invalid/iam.yaml:18:9: error RC154: permissions.buckets.managed[3]: unknown AWS managed policy "NoSuchPolicyAtAllAnywhere"\n  expected: a managed policy name (AdministratorAccess), path/name (job-function/NetworkAdministrator) or ARN',
    'invalid/iam.yaml:20:9: error RC155: permissions.buckets.managed[5]: managed policy "arn:aws:iam::aws:policy/AdministratorAccess" is listed twice\n  fix: remove the repetition',
    'invalid/iam.yaml:23:13: error RC152: permissions.buckets.statements[0].actions[0]: unknown IAM action "s3:GetObjekt"\n  expected: an action from the IAM action catalog\n  fix: did you mean "s3:GetObject"?',
    'invalid/iam.yaml:24:13: error RC151: permissions.buckets.statements[0].actions[1]: unknown IAM action "s4:GetObject": there is no service "s4"\n  expected: service:Action with a known IAM service prefix, e.g. s3:GetObject\n  fix: did you mean "s3:GetObject"?',
    'invalid/iam.yaml:25:13: error RC153: permissions.buckets.statements[0].actions[2]: IAM action pattern "s3:Gett*" matches no known action\n  expected: a pattern that matches at least one action, e.g. s3:Get*',
    'invalid/iam.yaml:26:13: error RC150: permissions.buckets.statements[0].actions[3]: invalid IAM action "GetObject"\n  expected: service:Action, e.g. s3:GetObject, a pattern such as s3:Get*, or "*"',
  ],
  'multiple-documents.yaml': [
    'invalid/multiple-documents.yaml:4:1: error RC007: (top level): the file holds more than one YAML document\n  expected: a single YAML document\n  fix: remove the "---" separator and merge the documents',
  ],
  'people.yaml': [
    "invalid/people.yaml:29:5: error RC407: people.alice.functions: alice is in 10 functions, but at most 9 are possible: IAM allows 10 groups per user and every person is also in the generated RequireMFA group\n  fix: merge functions, or split the person's duties",
    'invalid/people.yaml:33:21: error RC211: people.bob.functions[1]: function "f1" is listed twice\n  fix: remove the repetition',
    'invalid/people.yaml:34:5: error RC130: people.bob.console: console password needs pgpKey, so it is never stored in plain text\n  expected: pgpKey: keybase:<user> or a base64 PGP public key',
    'invalid/people.yaml:35:5: error RC130: people.bob.accessKey: access key needs pgpKey, so its secret is never stored in plain text\n  expected: pgpKey: keybase:<user> or a base64 PGP public key',
    'invalid/people.yaml:36:3: error RC122: people["carol smith"]: invalid IAM user name "carol smith"\n  expected: letters, digits and + = , . @ _ - only, at most 64 characters',
  ],
  'selectors.yaml': [
    'invalid/selectors.yaml:21:9: error RC213: functions.operations.access[0].accounts: selector { ou: Workload } matches no account\n  expected: a selector matching at least one account\n  fix: did you mean "Workloads"?',
    'invalid/selectors.yaml:23:9: error RC213: functions.operations.access[1].accounts: selector { environment: production, tags: { team: data } } matches no account\n  expected: a selector matching at least one account',
    'invalid/selectors.yaml:25:9: error RC212: functions.operations.access[2].accounts: an empty selector map names no key to match\n  expected: "*" (every account but the master and identity accounts), a list of account names, or a map of ou, data, environment and tags that must all match, with optional except: [names]\n  fix: write "*" for every account but the master and identity accounts, or name the accounts',
    'invalid/selectors.yaml:27:20: error RC210: functions.operations.access[3].accounts[0]: "*" inside a list is not an account name\n  fix: write accounts: "*" (not in a list) for every account but the master and identity accounts',
    'invalid/selectors.yaml:33:9: error RC110: functions.broken.access[0].accounts: invalid account selector: got the string "production"\n  expected: "*" (every account but the master and identity accounts), a list of account names, or a map of ou, data, environment and tags that must all match, with optional except: [names]\n  fix: for one account write [production]',
    'invalid/selectors.yaml:35:21: error RC101: functions.broken.access[1].accounts.enviroment: unknown key "enviroment"\n  expected: one of data, environment, except, ou, tags\n  fix: did you mean "environment"?',
    'invalid/selectors.yaml:37:9: error RC107: functions.broken.access[2].accounts: the list is empty\n  expected: at least one item',
    'invalid/selectors.yaml:38:9: error RC107: functions.broken.access[2].permissions: the list is empty\n  expected: at least one item',
    'invalid/selectors.yaml:42:5: error RC213: guardrails[0].accounts: selector { data: test } matches no account\n  expected: a selector matching at least one account',
    'invalid/selectors.yaml:44:5: error RC219: guardrails[1]: guardrail "nobody" selects nobody\n  expected: functions, people or both',
  ],
  'several-errors.yaml': [
    'invalid/several-errors.yaml:1:1: error RC105: version: unsupported version 2\n  expected: version: 1',
    'invalid/several-errors.yaml:3:3: error RC106: organization.name: invalid value "Acme"\n  expected: a name of lowercase letters, digits and "-", starting with a letter',
    'invalid/several-errors.yaml:11:5: error RC101: accounts.production.enviroment: unknown key "enviroment"\n  expected: one of alias, cognitoIdentityPools, data, email, environment, id, ou, services, tags\n  fix: did you mean "environment"?',
    'invalid/several-errors.yaml:18:7: error RC203: functions.operations.access.production: unknown permission set "admni"\n  expected: a permission set name from `permissions` (admin)\n  fix: did you mean "admin"?',
    'invalid/several-errors.yaml:23:29: error RC202: people.alice.functions[1]: unknown function "developers"\n  expected: a function name from `functions` (operations)',
    'invalid/several-errors.yaml:24:5: error RC130: people.alice.console: console password needs pgpKey, so it is never stored in plain text\n  expected: pgpKey: keybase:<user> or a base64 PGP public key',
  ],
  'unknown-key.yaml': [
    'invalid/unknown-key.yaml:11:5: error RC101: accounts.production.enviroment: unknown key "enviroment"\n  expected: one of alias, cognitoIdentityPools, data, email, environment, id, ou, services, tags\n  fix: did you mean "environment"?',
    'invalid/unknown-key.yaml:15:5: error RC101: permissions.admin.notActions: unknown key "notActions": NotAction is not supported\n  expected: one of description, managed, statements\n  fix: list the allowed actions in `actions`, or add a Deny statement',
    'invalid/unknown-key.yaml:24:5: error RC101: people.alice.fucntions: unknown key "fucntions"\n  expected: one of accessKey, accessKeyId, console, email, functions, name, pgpKey\n  fix: did you mean "functions"?',
    'invalid/unknown-key.yaml:25:5: error RC101: people.alice.colour: unknown key "colour"\n  expected: one of accessKey, accessKeyId, console, email, functions, name, pgpKey',
  ],
  'unknown-references.yaml': [
    'invalid/unknown-references.yaml:5:3: error RC201: organization.master: unknown account "mastr"\n  expected: an account name from `accounts` (master, production)\n  fix: did you mean "master"?',
    'invalid/unknown-references.yaml:21:7: error RC201: functions.operations.access.prodution: unknown account "prodution"\n  expected: an account name from `accounts` (master, production)\n  fix: did you mean "production"?',
    'invalid/unknown-references.yaml:22:20: error RC203: functions.operations.access.production[0]: unknown permission set "admn"\n  expected: a permission set name from `permissions` (admin, logs-read)\n  fix: did you mean "admin"?',
    'invalid/unknown-references.yaml:25:32: error RC201: functions.developers.access[0].accounts[1]: unknown account "mastre"\n  expected: an account name from `accounts` (master, production)\n  fix: did you mean "master"?',
    'invalid/unknown-references.yaml:26:9: error RC203: functions.developers.access[0].permissions: unknown permission set "logs-reed"\n  expected: a permission set name from `permissions` (admin, logs-read)\n  fix: did you mean "logs-read"?',
    'invalid/unknown-references.yaml:31:17: error RC202: people.alice.functions[0]: unknown function "operatons"\n  expected: a function name from `functions` (developers, operations)\n  fix: did you mean "operations"?',
    'invalid/unknown-references.yaml:34:14: error RC204: guardrails[0].people[0]: unknown person "alcie"\n  expected: a person name from `people` (alice)\n  fix: did you mean "alice"?',
    'invalid/unknown-references.yaml:35:17: error RC202: guardrails[0].functions[0]: unknown function "developer"\n  expected: a function name from `functions` (developers, operations)\n  fix: did you mean "developers"?',
    'invalid/unknown-references.yaml:40:16: error RC202: pipelines.terraform-cloud.changers[0]: unknown function "operation"\n  expected: a function name from `functions` (developers, operations)\n  fix: did you mean "operations"?',
  ],
  'wrong-type.yaml': [
    'invalid/wrong-type.yaml:6:3: error RC103: organization.manage: expected true or false, got a string\n  fix: write false (unquoted)',
    'invalid/wrong-type.yaml:11:5: error RC103: accounts.production.id: expected a 12-digit account id as a quoted string, e.g. "123456789012", got a number\n  fix: quote it: "222222222222"',
    'invalid/wrong-type.yaml:12:5: error RC104: accounts.production.data: invalid value "secret"\n  expected: one of customer, internal, test, none',
    'invalid/wrong-type.yaml:15:5: error RC103: functions.operations.mfaMaxAge: expected a duration such as 15m, 1h or 12h, got a number',
    'invalid/wrong-type.yaml:17:7: error RC112: functions.operations.access.production: expected a permission set name or a list of them, got a number',
    'invalid/wrong-type.yaml:22:5: error RC103: people.alice.functions: expected a list, got a string\n  fix: write it as a list: [operations]',
    'invalid/wrong-type.yaml:23:5: error RC103: people.alice.console: expected true or false, got a string\n  fix: write true (unquoted)',
    'invalid/wrong-type.yaml:27:5: error RC104: guardrails[0].maxAccess: invalid value "reed"\n  expected: one of none, list, read, write, permissions, admin\n  fix: did you mean "read"?',
  ],
  'yaml-syntax.yaml': [
    'invalid/yaml-syntax.yaml:4:11: error RC013: (top level): the list opened with "[" on line 4 is never closed\n  expected: a "]" after its last item\n  fix: close it on its line: region: [eu-west-1]',
  ],
};

describe('invalid fixtures', () => {
  it('has an expectation for every invalid fixture', () => {
    expect(fs.readdirSync(path.join(FIXTURES, 'invalid')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`reports exactly the errors of ${file}`, () => {
      const result = load(`invalid/${file}`);
      expect(result.diagnostics.map(formatDiagnostic)).toEqual(expected);
      expect(result.model).toBeUndefined();
    });
  }
});

describe('several errors in one file', () => {
  it('reports them all at once, sorted by position', () => {
    const result = load('invalid/several-errors.yaml');
    const lines = result.diagnostics.map((d) => d.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(result.diagnostics.length).toBeGreaterThanOrEqual(6);
    expect(new Set(result.diagnostics.map((d) => d.path.join('.'))).size).toBe(result.diagnostics.length);
  });
});

describe('config/org.yaml', () => {
  const result = loadOrgFile(path.join(__dirname, '..', '..', 'config', 'org.yaml'));

  it('loads with no errors and no notices', () => {
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.model).toBeDefined();
  });

  // Pins the example's grants: a change to config/org.yaml's access must update this on purpose.
  it('resolves exactly the expected grants', () => {
    expect(grantSets(result.model!.grants)).toEqual({
      auditors: {
        development: ['read-only'],
        master: ['audit-trail'],
        production: ['audit-buckets'],
        sandbox: ['read-only'],
        storage: ['audit-buckets'],
      },
      developers: {
        development: ['admin', 'logs-read'],
        production: ['logs-read'],
        sandbox: ['admin', 'logs-read'],
        storage: ['logs-read'],
      },
      network: {
        development: ['network-admin'],
        production: ['network-admin'],
        sandbox: ['network-admin'],
      },
      operations: {
        development: ['admin'],
        production: ['admin'],
        sandbox: ['admin'],
        storage: ['admin'],
      },
    });
    // Sorted keys, not file order.
    expect(Object.keys(result.model!.grants)).toEqual(['auditors', 'developers', 'network', 'operations']);
    expect(Object.keys(result.model!.grants.auditors)).toEqual(['development', 'master', 'production', 'sandbox', 'storage']);
  });

  it('resolves managed policies to ARNs', () => {
    expect(result.model!.managedPolicyArns).toEqual({
      admin: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      'audit-buckets': [],
      'audit-trail': ['arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess', 'arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess'],
      'logs-read': ['arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess'],
      'network-admin': ['arn:aws:iam::aws:policy/job-function/NetworkAdministrator'],
      'read-only': ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
  });

  it('locates keys for later checks', () => {
    // Computed from the text, so editing the example does not break this test.
    const lines = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'org.yaml'), 'utf8').split('\n');
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    expect(result.model!.locate(['functions', 'developers', 'access', 1, 'accounts'])).toEqual({
      line: lineOf('- accounts: { environment: non-production }'),
      col: 9,
    });
    // A missing key points at its nearest existing parent.
    expect(result.model!.locate(['people', 'nobody'])).toEqual({ line: lineOf('people:'), col: 1 });
  });
});

describe('valid fixtures', () => {
  it('applies schema defaults in the model', () => {
    const result = load('valid/minimal.yaml');
    expect(result.diagnostics).toEqual([]);
    const org = result.model!.org;
    expect(org.organization.rolePath).toBe('/');
    expect(org.accounts.master.environment).toBe('non-production');
    expect(org.functions.operations.mfaMaxAge).toBe('1h');
    expect(org.deploy).toEqual({ backend: 'local', credentials: 'assume-role', assumeRoleName: 'OrganizationAccountAccessRole' });
    expect(grantSets(result.model!.grants)).toEqual({ operations: { production: ['admin'] } });
  });

  it('reports an account without id as a notice, and still builds the model', () => {
    const result = load('valid/pending-account.yaml');
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'valid/pending-account.yaml:13:3: notice RC305: accounts.analytics: account analytics has no id yet: no account stack until its id is written into the file\n  fix: apply the organization stack, then write the new account id here',
    ]);
    expect(result.model!.notices).toEqual(result.diagnostics);
    // ou "Workloads" matches Workloads/Analytics as a path prefix.
    expect(grantSets(result.model!.grants)).toEqual({ analysts: { analytics: ['reader'], master: ['reader'] } });
    expect(result.model!.managedPolicyArns).toEqual({
      reader: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole'],
    });
  });
});

describe('files that cannot be read', () => {
  it('reports a missing file at 1:1', () => {
    const result = loadOrgFile('test/fixtures/model/does-not-exist.yaml');
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'test/fixtures/model/does-not-exist.yaml:1:1: error RC001: (top level): cannot read the org file test/fixtures/model/does-not-exist.yaml: no such file\n  fix: check the path, or pass --config FILE',
    ]);
  });

  it('reports an empty file', () => {
    expect(loadOrgText('# nothing yet\n', 'org.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'org.yaml:1:1: error RC004: (top level): the file is empty\n  expected: an org file: version, organization, accounts, ...',
    ]);
  });

  it('reports missing keys at their parent, explaining unions', () => {
    const text = 'version: 1\norganization:\n  name: acme\n  master: master\naccounts: [master]\nfunctions:\n  ops:\n    description: x\n';
    expect(loadOrgText(text, 'org.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'org.yaml:2:1: error RC102: organization.region: missing key "region"\n  expected: an AWS region such as eu-west-1',
      'org.yaml:5:1: error RC103: accounts: expected a map, got a list',
      'org.yaml:7:3: error RC102: functions.ops.access: missing key "access"\n  expected: a map of account name to permission set(s), e.g. { production: admin }, or a list of grants, e.g. [{ accounts: "*", permissions: logs-read }]',
    ]);
  });
});
