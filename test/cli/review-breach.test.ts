/**
 * A file that breaches a guardrail is exactly when a reviewer needs `explain`
 * and `diff` (issue 19.3, 19.12): both report the breach, still run on the
 * file as written, and exit 1 (the file does not validate). explain names
 * every action above the bound in one run, so one edit fixes the file.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';

const ROOT = path.join(__dirname, '..', '..');
const example = readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8');

/** auditors also hold AWS's ViewOnlyAccess on production and storage (customer data, guardrail: read). */
const viewOnly = example
  .replace('  network-admin:\n', '  view-only:\n    managed: [job-function/ViewOnlyAccess]\n  network-admin:\n')
  .replace(
    '      - accounts: [production, storage]\n        permissions: audit-buckets',
    '      - accounts: [production, storage]\n        permissions: [audit-buckets, view-only]',
  );
/** read-only without its Deny of ReadOnlyAccess's eight non-read actions, granted to auditors on production too. */
const denies = example.slice(
  example.indexOf('    statements:\n      - sid: DenyWritesInReadOnlyAccess'),
  example.indexOf('  audit-trail:\n'),
);
const readOnlyAccess = example
  .replace(denies, '')
  .replace(
    '      - accounts: [production, storage]\n        permissions: audit-buckets',
    '      - accounts: [production, storage]\n        permissions: [audit-buckets, read-only]',
  );
const READ_ONLY_ACCESS_WRITES = [
  'athena:GetSessionEndpoint',
  'backup:ListIndexedRecoveryPointsForSearch',
  'billing:GetResourcePolicy',
  'cognito-idp:GetTokensFromRefreshToken',
  'iot:GetConnection',
  'iot:ListSubscriptions',
  's3express:CreateSession',
  'ssm-sap:GetResourcePermission',
];

let dir: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'ignore' });
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-breach-'));
  git('init', '-q');
  write('org.yaml', example);
  git('add', 'org.yaml');
  git('commit', '-q', '-m', 'base');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('explain on a file that breaches a guardrail', () => {
  test('ViewOnlyAccess against a read guardrail: the breach is reported, the path explained, iot:ListSubscriptions named', async () => {
    expect(denies).toContain('iot:ListSubscriptions');
    const { code, out, err } = await runCli(['explain', 'carol', 'production', '--config', write('view-only.yaml', viewOnly)]);
    expect(code).toBe(1);
    expect(err).toContain('error RC501');
    expect(err).toContain('the file does not validate; explained as written below.');
    expect(out).toContain('carol -> production (222222222222): write');
    expect(out).toContain(
      [
        '      view-only      write        iot:ListSubscriptions',
        '        1 action above read (the guardrail "auditors only read production" allows at most read):',
        '          iot:ListSubscriptions (write)',
      ].join('\n'),
    );
  });

  test('ReadOnlyAccess: all eight non-read actions in one run (config/org.yaml denies exactly these)', async () => {
    const { code, out } = await runCli(['explain', 'carol', 'production', '--config', write('read-only.yaml', readOnlyAccess)]);
    expect(code).toBe(1);
    const listed = out.slice(out.indexOf('8 actions above read (the guardrail "auditors only read production" allows at most read):'));
    expect(listed).not.toBe(out);
    for (const action of READ_ONLY_ACCESS_WRITES)
      expect(listed).toMatch(new RegExp(`\\n {10}${action.replace('.', '\\.')} \\((write|permissions)\\)`));
    // And the example's Deny is exactly that list: the comment in config/org.yaml stays true.
    for (const action of READ_ONLY_ACCESS_WRITES) expect(denies).toContain(`"${action}"`);
    expect(denies.match(/^ {10}- "/gm)).toHaveLength(READ_ONLY_ACCESS_WRITES.length);
  });

  test('no guardrail on the account: a short list of surprises is still named (ReadOnlyAccess on development)', async () => {
    const { code, out } = await runCli(['explain', 'carol', 'development', '--config', write('read-only.yaml', readOnlyAccess)]);
    expect(code).toBe(1);
    expect(out).toContain('        8 actions above read:\n          athena:GetSessionEndpoint (');
  });

  test('a valid file: exit 0, and a large admin set is counted, not listed', async () => {
    const { code, out } = await runCli(['explain', 'alice', 'production', '--config', path.join(ROOT, 'config', 'org.yaml')]);
    expect(code).toBe(0);
    expect(out).toMatch(/\n {8}\d{3,} actions above read\n/);
  });

  test('an error other than a breach still stops explain', async () => {
    const { code, out, err } = await runCli([
      'explain',
      'carol',
      'production',
      '--config',
      write('bad.yaml', viewOnly.replace('functions: [auditors]', 'functions: [auditorz]')),
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('nothing written.');
  });

  test('the guardrail error points at explain for the full list', async () => {
    const { err } = await runCli(['validate', '--config', write('view-only.yaml', viewOnly)]);
    expect(err).toContain('every action above read: npx --no-install rolecall explain carol production');
  });
});

describe('diff on a file that breaches a guardrail', () => {
  test('prints the breach first and the diff after it (seen: nothing printed), exit 1', async () => {
    const file = write('org.yaml', viewOnly);
    const { code, out, err } = await runCli(['diff', '--base', 'HEAD', '--config', file]);
    expect(code).toBe(1);
    expect(err).toContain('the file does not validate; its access diff follows.');
    const lines = out.split('\n');
    expect(lines[0]).toBe('!!! GUARDRAIL BREACHED (6 errors): this change does not validate and cannot be applied as it is');
    expect(lines[1]).toMatch(
      /^!!! {3}\S*org\.yaml:\d+:\d+ RC501: guardrail "developers never change customer data" breached: bob has write on account production/,
    );
    expect(out).toContain(
      'what function auditors allows changed: 2 people gain write on 2 accounts (production, storage) (was read): bob, carol',
    );
    expect(out).toContain('+ managed policy job-function/ViewOnlyAccess (write)');
    // The gate does not turn an invalid file into "needs a second reviewer": 1 outranks 3.
    expect((await runCli(['diff', '--base', 'HEAD', '--config', file, '--fail-on', 'customer-write'])).code).toBe(1);
  });
});
