/**
 * `npx rolecall diff --base GIT-REF [--fail-on customer-write]`: the access
 * diff between the org file at GIT-REF and the working copy (see
 * src/report/access-diff.ts). Both sides must be valid; a base where the file
 * did not exist yet counts as "nobody had access".
 *
 * `--fail-on customer-write` exits FAIL_ON_EXIT_CODE when anyone (a person,
 * or a function's role) gains write or more on an account with
 * `data: customer`, so CI can demand a second reviewer; the diff is printed
 * either way.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { formatDiagnostic } from '../model/diagnostics';
import { buildAccessMatrix } from '../plan/access';
import { compileOrgFile, compileOrgText, hasErrors } from '../plan/compile';
import { diffEffectiveAccess, renderEffectiveDiff, type DiffSide } from '../report/access-diff';
import type { CompileResult } from '../plan/compile';
import type { CliIo, CommandOptions } from './io';
import { reportDiagnostics } from './validate';

/** The gates `--fail-on` knows. */
export const FAIL_ON = ['customer-write'] as const;
/** Distinct from 1 (invalid file) and 2 (usage): the diff is fine, it needs a second reviewer. */
export const FAIL_ON_EXIT_CODE = 3;

export function runDiff(options: CommandOptions, io: CliIo): number {
  const base = options.flags.base;
  const failOn = options.flags['fail-on'];
  if (typeof base !== 'string') {
    io.err('usage: npx rolecall diff --base GIT-REF [--fail-on customer-write] [--config FILE]');
    return 2;
  }
  if (failOn !== undefined && (typeof failOn !== 'string' || !(FAIL_ON as readonly string[]).includes(failOn))) {
    io.err(`rolecall diff: --fail-on must be one of ${FAIL_ON.join(', ')}, got ${JSON.stringify(failOn)}`);
    return 2;
  }
  const current = compileOrgFile(options.config);
  if (!reportDiagnostics(current, { out: io.err, err: io.err })) return 1;

  const baseText = readAtRef(base, options.config);
  if ('error' in baseText) {
    io.err(`rolecall diff: ${baseText.error}`);
    return 1;
  }
  let before: DiffSide | undefined;
  if (baseText.text !== undefined) {
    const label = `${base}:${options.config}`;
    const old = compileOrgText(baseText.text, label);
    if (hasErrors(old.diagnostics)) {
      io.err(`rolecall diff: the file at ${base} does not validate:`);
      for (const d of old.diagnostics.filter((x) => x.severity === 'error')) io.err(formatDiagnostic(d));
      return 1;
    }
    before = side(old);
  }
  const diff = diffEffectiveAccess(before, side(current));
  io.out(renderEffectiveDiff(diff, base));
  if (failOn === 'customer-write' && diff.customerWrite.length > 0) {
    io.err(
      `rolecall diff: --fail-on customer-write: ${diff.customerWrite.length} change${diff.customerWrite.length === 1 ? '' : 's'} give write or more on customer data; ask a second reviewer`,
    );
    return FAIL_ON_EXIT_CODE;
  }
  return 0;
}

function side(compiled: CompileResult): DiffSide {
  return { model: compiled.model!, plan: compiled.plan!, matrix: compiled.matrix ?? buildAccessMatrix(compiled.model!) };
}

/** The file's text at a git ref; `text: undefined` when the file did not exist there. */
function readAtRef(ref: string, file: string): { text?: string } | { error: string } {
  const cwd = path.dirname(path.resolve(file));
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' }).trim();
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, stdio: 'ignore' });
    const rel = path.relative(top, path.resolve(file)).split(path.sep).join('/');
    try {
      execFileSync('git', ['cat-file', '-e', `${ref}:${rel}`], { cwd, stdio: 'ignore' });
    } catch {
      return { text: undefined };
    }
    // The file exists at the ref: a failure to read it must not pass for "no base" (every cell a gain).
    // maxBuffer: execFileSync's default (1 MiB) is smaller than a 1,000-account org file.
    try {
      return { text: execFileSync('git', ['show', `${ref}:${rel}`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024 }) };
    } catch (e) {
      return { error: `cannot read ${rel} at ${ref}: ${(e as Error).message.split('\n')[0]}` };
    }
  } catch {
    return { error: `"${ref}" is not a commit of the git repository holding ${file}` };
  }
}
