import { readFailure } from '../model/load';
import { compileOrgFile } from '../plan/compile';
import { stringFlag } from './args';
import type { CliIo, CommandOptions } from './io';
import { checkOutputDir, createOutputDir } from './paths';
import { reportDiagnostics, stackIds } from './validate';
import * as fs from 'fs';
import * as path from 'path';
import type { OrgPlan } from '../plan/types';

/** validate, then synthesize every stack to cdktf.out/ (or --output DIR). Nothing is written on error. */
export function runSynth(options: CommandOptions, io: CliIo): number {
  const outdir = stringFlag(options, 'output') ?? 'cdktf.out';
  const target = checkOutputDir('--output', outdir);
  if (!target.ok) {
    io.err(`rolecall synth: ${target.error}`);
    return 2;
  }
  const result = compileOrgFile(options.config);
  if (!reportDiagnostics(result, io)) return 1;
  // --check: compare with the committed output instead of writing it (a CI gate; src/cli/synth-check.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (options.flags.check) return (require('./synth-check') as typeof import('./synth-check')).runSynthCheck(result.plan, outdir, io);
  const foreign = notRolecallOutput(outdir);
  if (foreign) {
    io.err(`rolecall synth: ${foreign}`);
    return 1;
  }
  const moved = unannouncedPeopleMove(result.plan, outdir);
  if (moved) {
    io.err(`rolecall synth: ${moved}`);
    return 1;
  }
  const created = createOutputDir('--output', outdir);
  if (!created.ok) {
    io.err(`rolecall synth: ${created.error}`);
    return 1;
  }
  // Loaded here, not at the top: validate and the reports never pay for cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeApp } = require('../stacks/app') as typeof import('../stacks/app');
  try {
    synthesizeApp(result.plan, outdir);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    // A write failure inside cdktf (permissions, disk full); anything else is a bug and propagates.
    if (!err.code || !err.syscall) throw error;
    io.err(`rolecall synth: cannot write to ${outdir}: ${readFailure(err)}${err.path ? ` (${err.path})` : ''}`);
    return 1;
  }
  const stacks = stackIds(result.plan);
  const stale = removeStaleStacks(outdir, stacks);
  io.out(`Synthesized ${stacks.length} stacks to ${outdir}/stacks: ${stacks.join(', ')}`);
  if (stale.length > 0) {
    io.out(
      `Removed ${stale.length} stack director${stale.length === 1 ? 'y' : 'ies'} the file no longer has: ${stale.join(', ')}. ` +
        'Their state is kept (terraform-state/, the S3 key or the HCP Terraform workspace); ' +
        'a stack whose state still holds resources is destroyed from its last synth (git history), docs/reviewing-changes.md.',
    );
  }
  const state = localStateDir(result.plan, outdir);
  if (state) io.out(`Local state (deploy.backend local): ${state}/<stack>.tfstate`);
  return 0;
}

/**
 * Synth owns its output directory: stacks/<id> of a stack the file no
 * longer has would still be planned by a CI that plans every directory.
 * The check comes first: a directory that is neither new, empty, nor an
 * earlier synth (cdktf's manifest.json) is refused, so --output pointed at
 * the wrong place deletes nothing.
 */
export function notRolecallOutput(outdir: string): string | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync(outdir);
  } catch {
    return undefined; // missing: created later
  }
  if (entries.length === 0) return undefined;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    if (manifest && typeof manifest.stacks === 'object') return undefined;
  } catch {
    /* not a synth's output */
  }
  return (
    `${outdir} is not empty and is not the output of an earlier synth (no ${path.join(outdir, 'manifest.json')}): ` +
    'synth removes the stack directories it does not write, so it writes only to a new or empty directory or to its own. ' +
    `Give another --output, or empty ${outdir} first.`
  );
}

/** Removes stacks/<id> for every id not synthesized now; returns them, sorted. Files beside stacks/ are left alone. */
export function removeStaleStacks(outdir: string, written: string[]): string[] {
  const keep = new Set(written);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(outdir, 'stacks'), { withFileTypes: true });
  } catch {
    return [];
  }
  const stale = entries.filter((e) => e.isDirectory() && !keep.has(e.name)).map((e) => e.name);
  for (const id of stale) fs.rmSync(path.join(outdir, 'stacks', id), { recursive: true, force: true });
  return stale.sort();
}

/**
 * organization.peopleShards changed since the last synth into `outdir`,
 * without previousCount naming the old count: every person whose stack
 * changes would be destroyed in the stack they leave (with their MFA
 * device) and created again in the new one. The identity stack records the
 * count it was synthesized with (a local; absent = 1, people in it), so
 * the change is caught here. Without an earlier synth in `outdir` (a fresh
 * checkout that does not commit cdktf.out) there is nothing to compare:
 * docs/org-file.md#people-shards says to set previousCount.
 */
export function unannouncedPeopleMove(plan: OrgPlan, outdir: string): string | undefined {
  const identity = plan.stacks.find((s) => s.kind === 'master');
  if (!identity) return undefined;
  let before: number;
  try {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', identity.id, 'cdk.tf.json'), 'utf8'));
    const recorded = json?.locals?.rolecall_people_shards;
    before = typeof recorded === 'number' ? recorded : 1;
  } catch {
    return undefined;
  }
  const now = identity.peopleShards?.count ?? 1;
  const previousCount = identity.peopleShards ? (identity.peopleShards.previousCount ?? now) : 1;
  if (before === now || before === previousCount) return undefined;
  return (
    `${path.join(outdir, 'stacks', identity.id)} was synthesized with organization.peopleShards ${before}${before === 1 ? ' (people in the identity stack)' : ''}, ` +
    `and the file now says ${now} with${previousCount === now ? 'out previousCount' : ` previousCount ${previousCount}`}: people whose stack changes would be destroyed where they are and created again. ` +
    `Set organization.peopleShards to { count: ${now}, previousCount: ${before} } (docs/org-file.md#people-shards).`
  );
}

/**
 * Where the stacks' local state files are, as the working directory sees
 * it: the backend path is relative to DIR/stacks/<stack>, so the state is
 * in terraform-state/ beside DIR (./terraform-state for the default
 * cdktf.out; DIR/../terraform-state for --output DIR). Undefined when no
 * stack keeps local state.
 */
export function localStateDir(plan: OrgPlan, outdir: string): string | undefined {
  const local = plan.deploy.workspaces.find((w) => w.backend.kind === 'local');
  if (!local || local.backend.kind !== 'local') return undefined;
  const file = path.resolve(outdir, 'stacks', local.stack, local.backend.path);
  const dir = path.relative(process.cwd(), path.dirname(file)) || '.';
  return dir.split(path.sep).join('/');
}
