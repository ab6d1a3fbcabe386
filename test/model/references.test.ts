/** Cross-reference helpers, and that a schema error does not cascade. */
import { formatDiagnostic } from '../../src/model/diagnostics';
import { loadOrgText } from '../../src/model/load';
import { checkAction, matchesSelectorObject, selectAccounts } from '../../src/model/references';
import { accountSchema, type Account } from '../../src/model/schema';

const account = (fields: Record<string, unknown>): Account => accountSchema.parse({ id: '111111111111', ...fields });

const ACCOUNTS: Record<string, Account> = {
  master: account({ environment: 'production', data: 'internal' }),
  production: account({ ou: 'Workloads/Production', environment: 'production', data: 'customer', tags: { team: 'platform' } }),
  development: account({ ou: 'Workloads/Development', tags: { team: 'platform' } }),
  sandbox: account({ ou: 'Sandbox' }),
};

describe('selectAccounts', () => {
  it('"*" is every account except the master, sorted', () => {
    expect(selectAccounts('*', ACCOUNTS, 'master')).toEqual(['development', 'production', 'sandbox']);
  });

  it('a list is those accounts, unique and sorted', () => {
    expect(selectAccounts(['sandbox', 'master', 'sandbox'], ACCOUNTS, 'master')).toEqual(['master', 'sandbox']);
  });

  it('an object needs every key to match; ou matches as a path prefix', () => {
    expect(selectAccounts({ ou: 'Workloads' }, ACCOUNTS, 'master')).toEqual(['development', 'production']);
    expect(selectAccounts({ ou: 'Workloads/Production' }, ACCOUNTS, 'master')).toEqual(['production']);
    expect(selectAccounts({ ou: 'Work' }, ACCOUNTS, 'master')).toEqual([]); // segments, not characters
    // Selector objects never select a reserved account (the master here), whatever its attributes.
    expect(selectAccounts({ environment: 'production' }, ACCOUNTS, 'master')).toEqual(['production']);
    expect(selectAccounts({ environment: 'production' }, ACCOUNTS, [])).toEqual(['master', 'production']);
    expect(selectAccounts({ tags: { team: 'platform' }, environment: 'non-production' }, ACCOUNTS, 'master')).toEqual(['development']);
    expect(matchesSelectorObject({ data: 'none' }, ACCOUNTS.sandbox)).toBe(true);
    expect(matchesSelectorObject({ data: 'none', ou: 'Workloads' }, ACCOUNTS.sandbox)).toBe(false);
  });
});

describe('checkAction', () => {
  it('accepts actions, patterns and "*"', () => {
    expect(checkAction('s3:GetObject')).toBeUndefined();
    expect(checkAction('s3:getobject')).toBeUndefined();
    expect(checkAction('s3:Get*')).toBeUndefined();
    expect(checkAction('*:Describe*')).toBeUndefined();
    expect(checkAction('*')).toBeUndefined();
  });

  it('explains what is wrong otherwise', () => {
    expect(checkAction('s3:GetObjekt')?.fix).toBe('did you mean "s3:GetObject"?');
    expect(checkAction('lamda:InvokeFunction')?.fix).toBe('did you mean "lambda:InvokeFunction"?');
    expect(checkAction('s3:Gett*')?.message).toBe('IAM action pattern "s3:Gett*" matches no known action');
    expect(checkAction('s3:')?.message).toBe('invalid IAM action "s3:"');
  });
});

describe('no cascades', () => {
  const base = (account: string, selector: string) =>
    [
      'version: 1',
      'organization: { name: acme, region: eu-west-1, master: master }',
      'accounts:',
      '  master: { id: "111111111111" }',
      `  production: ${account}`,
      'permissions:',
      '  admin: { managed: [AdministratorAccess] }',
      'functions:',
      '  ops:',
      '    access:',
      `      - accounts: ${selector}`,
      '        permissions: admin',
      '',
    ].join('\n');

  it('an invalid account is still a known name, and selectors it might match are not reported', () => {
    const text = base('{ id: "222222222222", data: secret }', '{ data: customer }');
    expect(loadOrgText(text, 'org.yaml').diagnostics.map(formatDiagnostic)).toEqual([
      'org.yaml:5:37: error: accounts.production.data: invalid value "secret"\n  expected: one of customer, internal, test, none',
    ]);
    const named = base('{ id: "222" }', '[production]');
    expect(loadOrgText(named, 'org.yaml').diagnostics.map((d) => formatDiagnostic(d).split('\n')[0])).toEqual([
      'org.yaml:5:17: error: accounts.production.id: invalid value "222"',
    ]);
  });

  it('reports the selector once every account is valid', () => {
    const text = base('{ id: "222222222222", data: internal }', '{ data: customer }');
    expect(loadOrgText(text, 'org.yaml').diagnostics.map((d) => formatDiagnostic(d).split('\n')[0])).toEqual([
      'org.yaml:11:9: error: functions.ops.access[0].accounts: selector { data: customer } matches no account',
    ]);
  });
});
