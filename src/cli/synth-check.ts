/**
 * `rolecall synth --check`: the CI gate of the VCS-driven flow, where the
 * synthesized stacks are committed and HCP Terraform plans what is in the
 * repository (it cannot run `cdktf synth` itself). Synthesizes into a
 * temporary directory and compares with the committed output directory,
 * writing nothing there; exit 1 when anything differs, so a change of the
 * org file can never be merged without the Terraform it produces.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { OrgPlan } from '../plan/types';
import type { CliIo } from './io';

export interface SynthDifference {
  kind: 'changed' | 'missing' | 'stale';
  /** Path under the output directory, with "/" separators. */
  file: string;
}

/** Every regular file under `dir`, relative, sorted; [] when dir does not exist. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/** The files a workspace plans from: stacks/<stack>/cdk.tf.json. */
const STACK_FILE = /^stacks\/[^/]+\/cdk\.tf\.json$/;

/**
 * Every stacks/<stack>/cdk.tf.json synthesis writes against what
 * `committed` holds, plus the committed cdk.tf.json of any stack that no
 * longer exists (it would still be planned from the repository). Nothing
 * else counts: lock files, .terraform/, plans, and cdktf's manifest.json,
 * which no workspace reads and which need not be committed.
 */
export function compareSynthesized(fresh: string, committed: string): SynthDifference[] {
  const written = filesUnder(fresh).filter((f) => STACK_FILE.test(f));
  const differences: SynthDifference[] = [];
  for (const file of written) {
    const target = path.join(committed, file);
    if (!fs.existsSync(target)) differences.push({ kind: 'missing', file });
    else if (!fs.readFileSync(target).equals(fs.readFileSync(path.join(fresh, file)))) differences.push({ kind: 'changed', file });
  }
  const expected = new Set(written);
  for (const file of filesUnder(path.join(committed, 'stacks'))) {
    const rel = `stacks/${file}`;
    if (STACK_FILE.test(rel) && !expected.has(rel)) differences.push({ kind: 'stale', file: rel });
  }
  return differences;
}

/**
 * True when git ignores `dir` (the default layout ignores cdktf.out/: only
 * the VCS-driven HCP Terraform flow commits the stacks). Not a repository,
 * or no git, or stacks committed under it with `git add -f`: false, and the
 * check runs as before.
 */
export function ignoredByGit(dir: string): boolean {
  const abs = path.resolve(dir);
  let probe = abs;
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  const cwd = fs.statSync(probe).isDirectory() ? probe : path.dirname(probe);
  // A file inside: a `cdktf.out/` pattern matches directories only, and the directory may not exist yet.
  const inside = path.join(abs, 'stacks', 'master', 'cdk.tf.json');
  if (spawnSync('git', ['check-ignore', '-q', '--no-index', '--', inside], { cwd, stdio: 'ignore' }).status !== 0) return false;
  // Ignored, yet committed anyway (git add -f): the check still has something to compare.
  const tracked = spawnSync('git', ['ls-files', '--', abs], { cwd, encoding: 'utf8' });
  return tracked.status === 0 && tracked.stdout.trim() === '';
}

/** Synthesizes into a temporary directory, compares, reports; the committed directory is only read. */
export function runSynthCheck(plan: OrgPlan, outdir: string, io: CliIo): number {
  if (ignoredByGit(outdir)) {
    io.err(
      `rolecall synth --check: ${outdir}/ is ignored by git (.gitignore), so there are no committed stacks to compare. ` +
        'Only the VCS-driven HCP Terraform flow commits them: there, remove the cdktf.out/ line from .gitignore and commit cdktf.out/stacks. ' +
        'Every other flow synthesizes in CI instead: drop this step, or run `npx --no-install rolecall plan --base REF` (docs/ci/README.md).',
    );
    return 2;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-synth-check-'));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthesizeApp } = require('../stacks/app') as typeof import('../stacks/app');
    synthesizeApp(plan, tmp);
    const differences = compareSynthesized(tmp, outdir);
    if (differences.length === 0) {
      io.out(`${outdir} is up to date with the org file.`);
      return 0;
    }
    for (const d of differences) {
      const why =
        d.kind === 'changed'
          ? 'differs from what the org file gives'
          : d.kind === 'missing'
            ? 'is missing'
            : 'belongs to a stack the org file no longer has';
      io.err(`${d.kind}: ${outdir}/${d.file} ${why}`);
    }
    io.err(
      `${differences.length} file${differences.length === 1 ? '' : 's'} out of date: run \`npx --no-install rolecall synth\` and commit ${outdir}/ with the org file` +
        (differences.some((d) => d.kind === 'stale')
          ? ' (synth removes the directories of stale stacks; destroy a stack whose state still holds resources first: docs/reviewing-changes.md#removing-an-account)'
          : ''),
    );
    return 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
