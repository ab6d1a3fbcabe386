/**
 * I/O failures are one clear line and exit 1 (2 for a bad path argument),
 * never a stack trace; printed errors are capped; binary input is refused.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_PRINTED_DIAGNOSTICS } from '../../src/cli/validate';
import { runCli } from '../helpers/cli';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'config', 'org.yaml');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-cli-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One line of output (plus the summary line at most), and nothing that looks like a stack trace. */
function expectOneLine(text: string): void {
  expect(text).not.toMatch(/\n\s+at |Error:|ENOENT|EISDIR|ENOTDIR/);
  expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
}

describe('access --out', () => {
  test('a missing directory: one line, exit 2, nothing written', async () => {
    const out = path.join(dir, 'missing', 'dir', 'x.md');
    const { code, err } = await runCli(['access', '--out', out, '--config', EXAMPLE]);
    expect(code).toBe(2);
    expect(err).toContain(`--out ${out}: the directory ${path.dirname(out)} does not exist`);
    expectOneLine(err.replace(/Run `npx.*\n?/, ''));
    expect(existsSync(path.dirname(out))).toBe(false);
  });

  test('a directory: one line, exit 2', async () => {
    const { code, err } = await runCli(['access', '--out', dir, '--config', EXAMPLE]);
    expect(code).toBe(2);
    expect(err).toContain(`--out ${dir} is a directory; give a file name`);
    expectOneLine(err);
  });

  test('a file: written', async () => {
    const file = path.join(dir, 'access.md');
    const { code } = await runCli(['access', '--out', file, '--config', EXAMPLE]);
    expect(code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('| person |');
  });
});

describe('synth', () => {
  test('a successful synth writes one cdk.tf.json per stack and names them', async () => {
    const out = path.join(dir, 'synth-ok');
    const { code, out: stdout, err } = await runCli(['synth', '--output', out, '--config', EXAMPLE]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const stacks = ['master', 'account-development', 'account-production', 'account-sandbox', 'account-storage'];
    expect(stdout).toContain(`Synthesized 5 stacks to ${out}/stacks: ${stacks.join(', ')}`);
    for (const id of stacks) {
      const json = JSON.parse(readFileSync(path.join(out, 'stacks', id, 'cdk.tf.json'), 'utf8'));
      expect(json.terraform.required_providers.aws).toBeDefined();
    }
  });

  test('--output missing/dir is created (like tsc outDir), parents included', async () => {
    const out = path.join(dir, 'new', 'nested', 'out');
    const { code } = await runCli(['synth', '--output', out, '--config', EXAMPLE]);
    expect(code).toBe(0);
    expect(existsSync(path.join(out, 'stacks', 'master', 'cdk.tf.json'))).toBe(true);
  });

  test('--output FILE (or a path under a file): one line, exit 2, nothing written', async () => {
    const file = path.join(dir, 'a-file.json');
    writeFileSync(file, '{}');
    for (const out of [file, path.join(file, 'below')]) {
      const { code, out: stdout, err } = await runCli(['synth', '--output', out, '--config', EXAMPLE]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(err).toContain('is a file, not a directory; give a directory');
      expectOneLine(err);
    }
    expect(readFileSync(file, 'utf8')).toBe('{}');
  });

  test('a file with errors creates no output directory', async () => {
    const out = path.join(dir, 'never');
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\n');
    const { code } = await runCli(['synth', '--output', out, '--config', bad]);
    expect(code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe('the org file', () => {
  test('unreadable (a directory, a missing file): one error, exit 1', async () => {
    for (const [config, reason] of [
      [dir, 'it is a directory'],
      [path.join(dir, 'nope.yaml'), 'no such file'],
    ]) {
      const { code, err } = await runCli(['validate', '--config', config]);
      expect(code).toBe(1);
      expect(err).toContain(`${config}:1:1: error RC001: (top level): cannot read the org file ${config}: ${reason}`);
      expect(err).toContain('1 error: nothing written.');
      expect(err).not.toMatch(/\n\s+at /);
    }
  });

  test.each([
    [
      'a NUL byte',
      Buffer.concat([Buffer.from('version: 1\n'), Buffer.from([0, 1, 2, 3]), Buffer.alloc(2_000_000, 7)]),
      'a NUL byte at offset 11',
    ],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('version: 1\nname: '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.alloc(100_000, 0x41)]),
      'bytes that are not valid UTF-8',
    ],
  ])('binary input (%s) is refused in one line', async (_what, bytes, reason) => {
    const file = path.join(dir, 'binary.yaml');
    writeFileSync(file, bytes);
    const { code, out, err } = await runCli(['validate', '--config', file]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      `${file}:1:1: error RC002: (top level): ${file} is not a text file (${reason}), so not an org file; nothing was checked\n1 error: nothing written.\n`,
    );
  });

  test('a UTF-8 byte order mark is accepted', async () => {
    const file = path.join(dir, 'bom.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(EXAMPLE)]));
    expect((await runCli(['validate', '--config', file])).code).toBe(0);
  });

  test(`junk text: the first ${MAX_PRINTED_DIAGNOSTICS} errors, then "and N more errors"; output stays small`, async () => {
    const file = path.join(dir, 'junk.yaml');
    // 2,000 unknown top-level keys, each 300 characters long.
    writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `${'k'.repeat(300)}${i}: v`).join('\n'));
    const { code, err } = await runCli(['validate', '--config', file]);
    expect(code).toBe(1);
    const located = err.split('\n').filter((l) => l.startsWith(`${file}:`));
    expect(located).toHaveLength(MAX_PRINTED_DIAGNOSTICS);
    expect(err).toMatch(/\.\.\. and (\d+) more errors \(fix the ones above first/);
    const [, more] = /and (\d+) more errors/.exec(err) ?? [];
    const [, total] = /(\d+) errors: nothing written\./.exec(err) ?? [];
    expect(Number(more)).toBe(Number(total) - MAX_PRINTED_DIAGNOSTICS);
    expect(Number(total)).toBeGreaterThan(2000);
    expect(err.length).toBeLessThan(100_000);
  });

  test('one enormous line is clipped, not echoed whole', async () => {
    const file = path.join(dir, 'long.yaml');
    writeFileSync(file, `version: "${'x'.repeat(200_000)}"\n`);
    const { code, err } = await runCli(['validate', '--config', file]);
    expect(code).toBe(1);
    expect(err).toMatch(/\.\.\. \(\d+ more characters\)/);
    expect(err.length).toBeLessThan(20_000);
  });
});

test('a bad name argument is exit 2 with a suggestion', async () => {
  const { code, err } = await runCli(['aws-config', 'bobb', '--config', EXAMPLE]);
  expect(code).toBe(2);
  expect(err).toContain('rolecall aws-config: unknown person "bobb" (people: alice, bob, carol, dave, erin, frank); did you mean "bob"?');
});

test('an output directory that exists is used as is', async () => {
  const out = path.join(dir, 'exists');
  mkdirSync(out);
  expect((await runCli(['synth', '--output', out, '--config', EXAMPLE])).code).toBe(0);
});

describe('synth --output DIR: where local state goes (issue 19, item 10)', () => {
  test('synth names the state directory, and it is where the backend path points: terraform-state/ beside DIR', async () => {
    const out = path.join(dir, 'nested', 'out');
    const { code, out: stdout } = await runCli(['synth', '--output', out, '--config', EXAMPLE]);
    expect(code).toBe(0);
    const expected = path
      .relative(process.cwd(), path.join(dir, 'nested', 'terraform-state'))
      .split(path.sep)
      .join('/');
    expect(stdout).toContain(`Local state (deploy.backend local): ${expected}/<stack>.tfstate`);
    const json = JSON.parse(readFileSync(path.join(out, 'stacks', 'master', 'cdk.tf.json'), 'utf8'));
    expect(path.resolve(out, 'stacks', 'master', json.terraform.backend.local.path)).toBe(
      path.join(dir, 'nested', 'terraform-state', 'master.tfstate'),
    );
  });

  test('the default cdktf.out: ./terraform-state, as docs/credentials.md and `workspaces` say', async () => {
    const { localStateDir } = await import('../../src/cli/synth');
    const { compileOrgFile } = await import('../../src/plan/compile');
    const r = compileOrgFile(EXAMPLE);
    if (!r.ok) throw new Error('example invalid');
    expect(localStateDir(r.plan, 'cdktf.out')).toBe('terraform-state');
    const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'credentials.md'), 'utf8');
    expect(docs).toContain('`--output DIR` puts it in `DIR/../terraform-state`');
    const ws = await runCli(['workspaces', '--config', EXAMPLE]);
    expect(ws.out).toContain('terraform-state/master.tfstate');
  });
});
