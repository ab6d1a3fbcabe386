/**
 * The CI examples parse and run the four steps of the review flow; the help
 * sheet and the docs name the new commands.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

test.each(['docs/ci/github-actions.yml', 'docs/ci/gitlab-ci.yml'])(
  "%s parses and runs validate, synth --check where stacks are committed, the access diff and the touched stacks' plans",
  (file) => {
    const text = read(file);
    expect(() => parse(text, { merge: true })).not.toThrow();
    for (const step of [
      'npx --no-install rolecall validate',
      'npx --no-install rolecall synth --check',
      'npx --no-install rolecall diff --base',
      'npx --no-install rolecall plan --base',
      '--offline',
    ]) {
      expect([file, step, text.includes(step)]).toEqual([file, step, true]);
    }
    // cdktf.out/ is git-ignored in the default layout: synth --check runs only where the stacks are committed
    // (VCS-driven HCP Terraform), never unconditionally (issue 19, item 1).
    for (const line of text.split('\n').filter((l) => l.includes('rolecall synth --check'))) {
      expect(line).toContain('git check-ignore -q cdktf.out/;');
    }
    // Plans with write-capable credentials sit behind an approval gate.
    expect(text).toMatch(/environment:\s*(\n\s*name:\s*)?aws-plan/);
  },
);

test('the help sheet and the docs describe workspaces, synth --check and the bootstrap stack', () => {
  const help = read('help');
  expect(help).toContain('workspaces [--format text|json]');
  expect(help).toContain('--check');
  const credentials = read('docs/credentials.md');
  for (const heading of [
    '## The bootstrap stack',
    '## Order for a new account',
    '## Adopting what exists',
    '### `s3`',
    '### `cloud` (HCP Terraform)',
  ]) {
    expect(credentials).toContain(heading);
  }
  expect(credentials).not.toContain('not supported yet');
  const review = read('docs/reviewing-changes.md');
  for (const heading of [
    '### First apply with HCP Terraform',
    '### A reviewed change with HCP Terraform, end to end',
    '### First apply with S3',
    '### A reviewed change with S3, end to end',
  ]) {
    expect(review).toContain(heading);
  }
});
