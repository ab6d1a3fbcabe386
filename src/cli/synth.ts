import { compileOrgFile } from '../plan/compile';
import type { CliIo, CommandOptions } from './io';
import { reportDiagnostics, stackIds } from './validate';

/** validate, then synthesize every stack to cdktf.out/ (or --output DIR). Nothing is written on error. */
export function runSynth(options: CommandOptions, io: CliIo): number {
  const result = compileOrgFile(options.config);
  if (!reportDiagnostics(result, io)) return 1;
  const outdir = typeof options.flags.output === 'string' ? options.flags.output : 'cdktf.out';
  // --check: compare with the committed output instead of writing it (a CI gate; src/cli/synth-check.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (options.flags.check) return (require('./synth-check') as typeof import('./synth-check')).runSynthCheck(result.plan!, outdir, io);
  // Loaded here, not at the top: validate and the reports never pay for cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeApp } = require('../stacks/app') as typeof import('../stacks/app');
  synthesizeApp(result.plan!, outdir);
  const stacks = stackIds(result.plan!);
  io.out(`Synthesized ${stacks.length} stacks to ${outdir}/stacks: ${stacks.join(', ')}`);
  return 0;
}
