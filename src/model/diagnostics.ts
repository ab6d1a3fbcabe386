/**
 * A located problem in the org file. Every error rolecall reports is one of
 * these, so every error has the same parts: where (file:line:col and the key
 * path), what is wrong, what was expected, and how to fix it.
 */
export type KeyPath = ReadonlyArray<string | number>;

export interface Diagnostic {
  severity: 'error' | 'notice';
  file: string;
  line: number; // 1-based
  col: number; // 1-based
  path: KeyPath;
  /** Stable code (RC + 3 digits) naming the check, listed in docs/diagnostics.md. */
  code: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** What was expected there, if that helps. */
  expected?: string;
  /** A concrete fix, e.g. `did you mean "operations"?`. */
  fix?: string;
}

/** `functions.operations.access[0].accounts`: how the key path is written in messages. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * One diagnostic as printed:
 *   config/org.yaml:12:7: error RC201: functions.operations.access.prodution: unknown account "prodution"
 *     expected: an account name from `accounts` (master, production, storage)
 *     fix: did you mean "production"?
 */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${formatKeyPath(d.path)}: ${d.message}`];
  if (d.expected) lines.push(`  expected: ${d.expected}`);
  if (d.fix) lines.push(`  fix: ${d.fix}`);
  return lines.join('\n');
}

/** Sorted by position, then path, so output is stable whatever order checks ran in. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      formatKeyPath(a.path).localeCompare(formatKeyPath(b.path)) ||
      a.message.localeCompare(b.message),
  );
}

/** Anything that can place a key path in the file: the loaded model does. */
export interface Locator {
  file: string;
  locate(path: KeyPath): { line: number; col: number };
}

/** An error at a key path, for checks that run after loading (quotas, guardrails, the organization stack). */
export function errorAt(where: Locator, path: KeyPath, text: Pick<Diagnostic, 'code' | 'message' | 'expected' | 'fix'>): Diagnostic {
  return { severity: 'error', file: where.file, ...where.locate(path), path, ...text };
}

/** A notice at a key path: information beside the plan (e.g. what deploy.adopt imports), never blocking it. */
export function noticeAt(where: Locator, path: KeyPath, text: Pick<Diagnostic, 'code' | 'message' | 'expected' | 'fix'>): Diagnostic {
  return { ...errorAt(where, path, text), severity: 'notice' };
}
