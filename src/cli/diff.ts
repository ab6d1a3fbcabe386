/**
 * `npx rolecall diff --base GIT-REF [--fail-on customer-write]`: the access
 * diff between the org file at GIT-REF and the working copy (see
 * src/report/access-diff.ts). Both sides must be valid. Only "the file did
 * not exist at GIT-REF" counts as "nobody had access"; every other git
 * failure (no git, not a repository, a bad ref) is an error, never a report
 * where everyone gains everything.
 *
 * `--fail-on customer-write` exits FAIL_ON_EXIT_CODE when anyone (a person,
 * or a function's role) gains write or more on an account with
 * `data: customer`, so CI can demand a second reviewer; the diff is printed
 * either way.
 */
import { execFileSync, spawnSync } from 'child_process';
import { realpathSync } from 'fs';
import * as path from 'path';
import { compileOrgBytes, compileOrgFile, type CompileResult } from '../plan/compile';
import { diffEffectiveAccess, renderEffectiveDiff, type DiffSide } from '../report/access-diff';
import { stringFlag } from './args';
import type { CliIo, CommandOptions } from './io';
import { MAX_PRINTED_DIAGNOSTICS, reportDiagnostics } from './validate';
import type { Diagnostic } from '../model/diagnostics';

/** The gates `--fail-on` knows (main.ts's table declares them as the flag's choices). */
export const FAIL_ON = ['customer-write'] as const;
/** Distinct from 1 (invalid file) and 2 (usage): the diff is fine, it needs a second reviewer. */
export const FAIL_ON_EXIT_CODE = 3;

export function runDiff(options: CommandOptions, io: CliIo): number {
  // --base is required and --fail-on's values are checked by the parser (main.ts's table).
  const base = stringFlag(options, 'base') ?? 'HEAD';
  const failOn = stringFlag(options, 'fail-on');
  if (base.startsWith('-')) {
    io.err(`rolecall diff: --base ${JSON.stringify(base)} is not a git ref (a ref cannot start with "-")`);
    return 2;
  }
  // git first, while the process is small (each spawn copies its memory map; after two compiled files it
  // costs several times more); its errors still come after the working copy's, as they always did.
  const atBase = readAtRef(base, options.config);
  const result = compileOrgFile(options.config);
  // A file refused only for guardrail breaches still gets its diff (seen: nothing printed, an empty PR comment):
  // the breaches first, on stdout with the diff as on stderr, then the diff, and exit 1.
  const current = result.ok ? result : result.breached;
  reportDiagnostics(result, { out: io.err, err: io.err }, current ? 'the file does not validate; its access diff follows.' : undefined);
  if (!current) return 1;

  if (atBase.kind === 'error') {
    io.err(`rolecall diff: ${atBase.error}`);
    return atBase.code;
  }
  let before: DiffSide | undefined;
  if (atBase.kind === 'file') {
    const old = compileOrgBytes(atBase.bytes, `${base}:${options.config}`);
    if (!old.ok) {
      io.err(`rolecall diff: the file at ${base} does not validate:`);
      reportDiagnostics({ ...old, diagnostics: old.diagnostics.filter((d) => d.severity === 'error') }, io);
      return 1;
    }
    before = side(old);
  }
  const diff = diffEffectiveAccess(before, side(current));
  if (!result.ok) io.out(renderBreaches(result.diagnostics));
  io.out(renderEffectiveDiff(diff, base));
  if (failOn === 'customer-write' && diff.customerWrite.length > 0) {
    io.err(customerWriteGate(diff.customerWrite.length));
    // An invalid file outranks the gate: it cannot be applied at all.
    return result.ok ? FAIL_ON_EXIT_CODE : 1;
  }
  return result.ok ? 0 : 1;
}

/** The gate's line: "1 change gives", "2 changes give" (issue 19.12: it read "1 change give"). */
export function customerWriteGate(changes: number): string {
  const counted = changes === 1 ? '1 change gives' : `${changes} changes give`;
  return `rolecall diff: --fail-on customer-write: ${counted} write or more on customer data; ask a second reviewer`;
}

/** The breaches at the head of the diff: a reviewer reading only the posted diff must see the file is refused. */
function renderBreaches(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.slice(0, MAX_PRINTED_DIAGNOSTICS);
  const lines = [
    `!!! GUARDRAIL BREACHED (${errors.length === 1 ? '1 error' : `${errors.length} errors`}): this change does not validate and cannot be applied as it is`,
    ...shown.map((d) => `!!!   ${d.file}:${d.line}:${d.col} ${d.code}: ${d.message}`),
  ];
  if (errors.length > shown.length)
    lines.push(`!!!   ... and ${errors.length - shown.length} more (npx --no-install rolecall validate lists them)`);
  return [...lines, ''].join('\n');
}

function side(compiled: Pick<Extract<CompileResult, { ok: true }>, 'model' | 'plan' | 'matrix'>): DiffSide {
  return { model: compiled.model, plan: compiled.plan, matrix: compiled.matrix };
}

type AtRef = { kind: 'file'; bytes: Buffer } | { kind: 'absent' } | { kind: 'error'; error: string; code: 1 | 2 };

class GitError extends Error {
  constructor(
    readonly stderr: string,
    readonly missing: boolean,
  ) {
    super(stderr);
  }
}

function git(args: string[], cwd: string): Buffer {
  try {
    return execFileSync('git', args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: Buffer };
    throw new GitError(
      String(err.stderr ?? '')
        .trim()
        .split('\n')[0] ?? '',
      err.code === 'ENOENT',
    );
  }
}

/** A git command whose exit status is an answer, not a failure; throws only when git cannot run. */
function gitStatus(args: string[], cwd: string): { status: number; stdout: string } {
  const r = spawnSync('git', args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  if (r.error) throw new GitError(r.error.message, (r.error as NodeJS.ErrnoException).code === 'ENOENT');
  return { status: r.status ?? 1, stdout: r.stdout.toString('utf8') };
}

/** The file's bytes at a git ref; `absent` only when the ref exists and the file is not in it. */
export function readAtRef(ref: string, file: string): AtRef {
  let dir: string;
  let real: string;
  try {
    real = realpathSync(file);
    dir = path.dirname(real);
  } catch {
    return { kind: 'error', error: `cannot read ${file}`, code: 1 };
  }
  let top: string;
  try {
    // One git process for both: the top level (first line) and whether the ref is a commit (exit 1, nothing more, when not).
    const { status, stdout } = gitStatus(
      ['rev-parse', '--show-toplevel', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
      dir,
    );
    const lines = stdout.split('\n').filter((line) => line !== '');
    if (lines.length === 0) throw new GitError('', false);
    top = realpathSync(lines[0]);
    if (status !== 0 || lines.length < 2)
      return {
        kind: 'error',
        error: `--base ${JSON.stringify(ref)} is not a commit of the repository at ${top} (try a branch, a tag or a commit hash)`,
        code: 2,
      };
  } catch (error) {
    if (error instanceof GitError && error.missing)
      return { kind: 'error', error: 'git is not installed (or not on PATH); it is needed to read the base', code: 1 };
    return { kind: 'error', error: `${file} is not in a git repository, so there is no base to compare with`, code: 1 };
  }
  const rel = path.relative(top, real).split(path.sep).join('/');
  try {
    // ls-tree prints nothing, and succeeds, when the path is not in the commit.
    const entry = git(['ls-tree', '--full-tree', '-z', ref, '--', rel], top).toString('utf8');
    if (entry === '') return { kind: 'absent' };
    if (!/^\d+ blob /.test(entry)) return { kind: 'error', error: `${rel} at ${ref} is not a file`, code: 1 };
    return { kind: 'file', bytes: git(['cat-file', 'blob', `${ref}:${rel}`], top) };
  } catch (error) {
    return {
      kind: 'error',
      error: `git could not read ${rel} at ${ref}: ${error instanceof GitError ? error.stderr : String(error)}`,
      code: 1,
    };
  }
}
