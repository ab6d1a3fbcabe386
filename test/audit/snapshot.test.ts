/**
 * Snapshot input: a truncated, hostile or misnamed file is a located, coded
 * error (file:line:col, key path), never a stack trace; both document forms
 * (decoded, URL-encoded) are read.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';
import { parseAccountSnapshot, parseOrganizationSnapshot } from '../../src/audit/snapshot';
import { formatDiagnostic } from '../../src/model/diagnostics';

const EXAMPLE = path.join(__dirname, '..', '..', 'config', 'org.yaml');

function parse(text: string) {
  return parseAccountSnapshot(Buffer.from(text), 'snap/production.json', 'production');
}

function errors(text: string): string[] {
  const r = parse(text);
  if (r.ok) throw new Error('expected errors');
  return r.diagnostics.map(formatDiagnostic);
}

const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }] };
const role = (doc: unknown) =>
  JSON.stringify({
    RoleDetailList: [{ RoleName: 'ops', Path: '/', Arn: 'arn:aws:iam::222222222222:role/ops', AssumeRolePolicyDocument: doc }],
  });

describe('documents', () => {
  it('reads decoded and URL-encoded documents alike, a one-statement object as a list', () => {
    const a = parse(role(trust));
    const b = parse(role(encodeURIComponent(JSON.stringify(trust))));
    const c = parse(role({ ...trust, Statement: trust.Statement[0] }));
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(b.value.roles[0].trust).toEqual(a.value.roles[0].trust);
    expect(c.value.roles[0].trust).toEqual(a.value.roles[0].trust);
    expect(a.value.accountId).toBe('222222222222');
    expect(a.value.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a bad escape, a document that is not JSON, an unknown statement key: RA005 at the document', () => {
    expect(errors(role('%7B%ZZ'))).toEqual([
      expect.stringMatching(
        /^snap\/production.json:1:\d+: error RA005: RoleDetailList\[0\]\.AssumeRolePolicyDocument: the policy document is neither JSON/,
      ),
    ]);
    expect(errors(role('{"Statement": [')).join('\n')).toContain('RA005');
    expect(errors(role({ Statement: [{ Effect: 'Allow', Acton: 's3:*' }] })).join('\n')).toContain(
      'RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Acton: unknown policy statement key "Acton"',
    );
    expect(errors(role({ Statement: [{ Effect: 'Maybe' }] })).join('\n')).toContain('expected "Allow" or "Deny"');
  });
});

describe('bad files', () => {
  it('truncated JSON: RA002 at the end, with the line and column', () => {
    const text = '{\n  "UserDetailList": [\n    {"UserName": "a"';
    expect(errors(text)).toEqual([expect.stringMatching(/^snap\/production.json:3:21: error RA002: .*cut off/)]);
  });

  it('a syntax error in the middle: RA002 at it', () => {
    expect(errors('{"UserDetailList": [1 2]}')[0]).toMatch(/^snap\/production.json:1:23: error RA002/);
  });

  it('wrong shapes: every problem at once, each at its key path and line', () => {
    const text = JSON.stringify({ UserDetailList: [{ UserName: 7, Arn: 'arn:aws:iam::222222222222:user/x' }, 'x'], Policies: {} }, null, 2);
    const found = errors(text);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^snap\/production.json:4:\d+: error RA004: UserDetailList\[0\]\.UserName: expected a string, got number/);
    expect(found.join('\n')).toContain('UserDetailList[1]: expected an object, got string');
    expect(found.join('\n')).toContain('Policies: expected a list, got object');
  });

  it('not a snapshot, a page of several, an unknown top-level key', () => {
    expect(errors('{"foo": 1}').join('\n')).toContain('not an IAM snapshot');
    expect(errors('{"RoleDetailList": [], "IsTruncated": true}').join('\n')).toContain('IsTruncated: true');
    expect(errors('[]').join('\n')).toContain('expected an object, got a list');
  });

  it('AWS managed policies are skipped whatever they hold; a customer policy without PolicyName is named from its ARN', () => {
    const r = parse(
      JSON.stringify({
        Policies: [
          { Arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
          { Arn: 'arn:aws:iam::222222222222:policy/team/x', Path: '/team/' },
        ],
      }),
    );
    expect(r.ok && r.value.policies.map((p) => `${p.name} ${p.path}`)).toEqual(['x /team/']);
  });

  it('ARNs from two accounts in one file: RA006', () => {
    const text = JSON.stringify({
      UserDetailList: [
        { UserName: 'a', Arn: 'arn:aws:iam::222222222222:user/a' },
        { UserName: 'b', Arn: 'arn:aws:iam::333333333333:user/b' },
      ],
    });
    expect(errors(text).join('\n')).toContain('RA006');
  });

  it('hostile input: deep nesting, __proto__ keys, huge lists are errors or data, never a crash, in linear time', () => {
    const deep = `{"RoleDetailList": [${'['.repeat(200_000)}${']'.repeat(200_000)}]}`;
    expect(errors(deep).join('\n')).toContain('RA004');
    const cut = `{"RoleDetailList": [${'['.repeat(200_000)}`;
    expect(errors(cut).join('\n')).toContain('RA002');
    const proto = role({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Condition: { __proto__: { x: 'y' } } }] });
    const r = parse(proto);
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('organizations.json: wrong types are located too', () => {
    const r = parseOrganizationSnapshot(
      Buffer.from('{"Accounts": [{"Id": "12"}], "Policies": [{"Id": "p", "Name": "x", "Type": "TAG_POLICY"}]}'),
      'organizations.json',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'RA004 expected a 12-digit account id, got string',
      'RA004 expected SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY, got string',
    ]);
  });
});

describe('the folder', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-snap-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('errors from every file at once, exit 1, no stack trace', async () => {
    fs.writeFileSync(path.join(dir, 'production.json'), '{"UserDetailList": [');
    fs.writeFileSync(path.join(dir, 'storage.json'), '{"UserDetailList": 3}');
    const { code, out, err } = await runCli(['audit', '--config', EXAMPLE, '--from', dir]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(`${path.join(dir, 'production.json')}:1:21: error RA002`);
    expect(err).toContain(`${path.join(dir, 'storage.json')}:1:20: error RA004: UserDetailList: expected a list, got number`);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a file named for no account (with a suggestion), a name that disagrees with its ARNs, two files for one account', async () => {
    const doc = (id: string) => JSON.stringify({ UserDetailList: [{ UserName: 'x', Arn: `arn:aws:iam::${id}:user/x` }] });
    fs.writeFileSync(path.join(dir, 'prodution.json'), doc('222222222222'));
    fs.writeFileSync(path.join(dir, 'storage.json'), doc('444444444444'));
    fs.writeFileSync(path.join(dir, 'sandbox.json'), doc('555555555555'));
    fs.writeFileSync(path.join(dir, '555555555555.json'), doc('555555555555'));
    const { code, err } = await runCli(['audit', '--config', EXAMPLE, '--from', dir]);
    expect(code).toBe(1);
    expect(err).toContain('error RA006: (top level): the snapshot\'s name "prodution" is neither an account');
    expect(err).toContain('fix: rename it production.json');
    expect(err).toContain('named for account storage (333333333333), but its ARNs are in account 444444444444');
    expect(err).toMatch(/error RA007: .*a second snapshot of account sandbox/);
  });

  it('no folder, an empty folder: one line each, exit 1', async () => {
    const missing = await runCli(['audit', '--config', EXAMPLE, '--from', path.join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error RA001');
    const empty = await runCli(['audit', '--config', EXAMPLE, '--from', dir]);
    expect(empty.err).toContain('the folder holds no .json snapshot');
  });
});
