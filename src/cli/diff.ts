/**
 * `npx rolecall diff --base GIT-REF`: the access report's diff between the
 * org file at GIT-REF and the working copy. Both sides must be valid; a base
 * where the file did not exist yet counts as "nobody had access".
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { formatDiagnostic } from '../model/diagnostics';
import { buildAccessMatrix } from '../plan/access';
import { compileOrgFile, compileOrgText, hasErrors } from '../plan/compile';
import { diffAccess, renderAccessDiff } from '../report/access-diff';
import type { CliIo, CommandOptions } from './io';
import { reportDiagnostics } from './validate';

export function runDiff(options: CommandOptions, io: CliIo): number {
  const base = options.flags.base;
  if (typeof base !== 'string') {
    io.err('usage: npx rolecall diff --base GIT-REF [--config FILE]');
    return 2;
  }
  const current = compileOrgFile(options.config);
  if (!reportDiagnostics(current, { out: io.err, err: io.err })) return 1;

  const baseText = readAtRef(base, options.config);
  if ('error' in baseText) {
    io.err(`rolecall diff: ${baseText.error}`);
    return 1;
  }
  let before;
  if (baseText.text !== undefined) {
    const label = `${base}:${options.config}`;
    const old = compileOrgText(baseText.text, label);
    if (hasErrors(old.diagnostics)) {
      io.err(`rolecall diff: the file at ${base} does not validate:`);
      for (const d of old.diagnostics.filter((x) => x.severity === 'error')) io.err(formatDiagnostic(d));
      return 1;
    }
    before = buildAccessMatrix(old.model!);
  }
  io.out(renderAccessDiff(diffAccess(before, buildAccessMatrix(current.model!)), base));
  return 0;
}

/** The file's text at a git ref; `text: undefined` when the file did not exist there. */
function readAtRef(ref: string, file: string): { text?: string } | { error: string } {
  const cwd = path.dirname(path.resolve(file));
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' }).trim();
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, stdio: 'ignore' });
    const rel = path.relative(top, path.resolve(file)).split(path.sep).join('/');
    try {
      return { text: execFileSync('git', ['show', `${ref}:${rel}`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) };
    } catch {
      return { text: undefined };
    }
  } catch {
    return { error: `"${ref}" is not a commit of the git repository holding ${file}` };
  }
}
