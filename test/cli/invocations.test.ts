/**
 * Every invocation the docs, the examples, the help sheet and rolecall's own
 * messages show is safe to paste: plain `npx rolecall` run outside the
 * project (or before `npm ci`) fetches and runs whatever package of that name
 * the public registry holds, in CI without a prompt (issue 19, item 8).
 */
import * as fs from 'fs';
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

const filesUnder = (dir: string, ext: RegExp): string[] =>
  readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    return statSync(path.join(ROOT, rel)).isDirectory() ? filesUnder(rel, ext) : ext.test(name) ? [rel] : [];
  });

/** `npx` followed by a local-only command, without --no-install (the README's warning names it as "plain"). */
const UNSAFE = /(?<!plain `)\bnpx\s+(?!--no-install\b)(?:-[-\w]+\s+)*(rolecall|cdktf)\b/g;

const offenders = (file: string, lines: (text: string) => string[]): string[] =>
  lines(readFileSync(path.join(ROOT, file), 'utf8')).flatMap((line) => [...line.matchAll(UNSAFE)].map((m) => `${file}: ${m[0]}`));

test('docs, CI examples, the help sheet and the example org files never run plain npx rolecall or npx cdktf', () => {
  const files = ['README.md', 'help', ...filesUnder('docs', /\.(md|ya?ml)$/), ...filesUnder('config', /\.ya?ml$/)];
  expect(files.length).toBeGreaterThan(10);
  expect(files.flatMap((file) => offenders(file, (text) => text.split('\n')))).toEqual([]);
});

test("rolecall's own messages (string literals in src/) show only safe invocations", () => {
  // comments are not shown to anyone; what is printed is in quotes or backticks
  const code = (text: string) => text.split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
  expect(filesUnder('src', /\.ts$/).flatMap((file) => offenders(file, code))).toEqual([]);
});

test('the README says why', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('never\nplain `npx rolecall`');
  expect(readme).toMatch(/public registry/);
});

test('the pattern catches what it should', () => {
  expect('run npx rolecall synth'.match(UNSAFE)).not.toBeNull();
  expect('run npx -y cdktf deploy'.match(UNSAFE)).not.toBeNull();
  expect('run npx --no-install rolecall synth'.match(UNSAFE)).toBeNull();
});

test('docs/troubleshooting.md: the causes it promises, and an architecture diagram GitHub renders', () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');
  expect(doc).toContain('```mermaid\nflowchart');
  for (const topic of [
    '## `AccessDenied` on `sts:AssumeRole`',
    '**MFA too old.**',
    '**Wrong session name.**',
    '## `AWS account ID not allowed`',
    '## Planning without AWS (offline plan)',
    '## `synth --check` says cdktf.out is ignored',
    '## `keybase:` keys fail at apply',
    '## `EntityAlreadyExists`',
  ])
    expect([topic, doc.includes(topic)]).toEqual([topic, true]);
  // every relative link points at a file that exists
  for (const [, target] of doc.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g))
    expect([target, fs.existsSync(path.join(ROOT, 'docs', target))]).toEqual([target, true]);
  expect(readFileSync(path.join(ROOT, 'help'), 'utf8')).toContain('docs/troubleshooting.md');
});

/** GitHub's anchor for a heading: lower case, punctuation but "-" dropped, spaces to "-". */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

test('docs/getting-started.md warns that keybase: keys need keybase.io at apply time, linking the troubleshooting section (issue 19.12)', () => {
  const guide = readFileSync(path.join(ROOT, 'docs', 'getting-started.md'), 'utf8');
  expect(guide).toMatch(/`keybase:`[^.]*fetched from keybase\.io at apply\s+time/);
  const link = /\]\(troubleshooting\.md#([^)]+)\)/.exec(guide.slice(guide.indexOf('keybase.io')));
  expect(link).not.toBeNull();
  const headings = readFileSync(path.join(ROOT, 'docs', 'troubleshooting.md'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('## '))
    .map((l) => anchor(l.slice(3)));
  expect(headings).toContain(link![1]);
});

test('the README says how long npm test takes (issue 19.12)', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  // Loose on purpose: the figures change with the suites; that the README gives them in minutes does not.
  expect(readme).toMatch(/How long `npm test` takes[\s\S]{0,400}?\d+(\.\d+)?(-\d+(\.\d+)?)? min/);
});
