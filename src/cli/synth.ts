import { readFailure } from '../model/load';
import { compileOrgFile } from '../plan/compile';
import { stringFlag } from './args';
import type { CliIo, CommandOptions } from './io';
import { checkOutputDir, createOutputDir } from './paths';
import { reportDiagnostics, stackIds } from './validate';

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
  io.out(`Synthesized ${stacks.length} stacks to ${outdir}/stacks: ${stacks.join(', ')}`);
  return 0;
}
