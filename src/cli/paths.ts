/**
 * Output paths from the command line, checked before any work so a typo is
 * one line and exit 2, and write failures afterwards one line and exit 1:
 * never an ENOENT stack trace.
 */
import { mkdirSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { readFailure } from '../model/load';

export type PathCheck = { ok: true } | { ok: false; error: string };

function kindOf(p: string): 'file' | 'dir' | 'missing' | 'other' {
  try {
    const st = statSync(p);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** `--out FILE`: its directory must exist, and the path must not be a directory. */
export function checkOutputFile(flag: string, file: string): PathCheck {
  if (kindOf(file) === 'dir')
    return { ok: false, error: `${flag} ${file} is a directory; give a file name, e.g. ${path.join(file, 'access.md')}` };
  const dir = path.dirname(file);
  const parent = kindOf(dir);
  if (parent === 'missing') return { ok: false, error: `${flag} ${file}: the directory ${dir} does not exist; create it first` };
  if (parent !== 'dir') return { ok: false, error: `${flag} ${file}: ${dir} is not a directory` };
  return { ok: true };
}

/**
 * `--output DIR`: created when missing (like tsc's outDir or cdktf's
 * --output), but refused up front when it, or a parent, is a file. Checked
 * before compiling, created only after: nothing is written on error.
 */
export function checkOutputDir(flag: string, dir: string): PathCheck {
  let probe = path.resolve(dir);
  for (;;) {
    const kind = kindOf(probe);
    if (kind === 'dir') return { ok: true };
    if (kind !== 'missing') {
      const what = probe === path.resolve(dir) ? `${dir} is a file` : `${path.relative(process.cwd(), probe) || probe} is a file`;
      return { ok: false, error: `${flag} ${dir}: ${what}, not a directory; give a directory` };
    }
    const parent = path.dirname(probe);
    if (parent === probe) return { ok: true };
    probe = parent;
  }
}

export function createOutputDir(flag: string, dir: string): PathCheck {
  try {
    mkdirSync(dir, { recursive: true });
    return { ok: true };
  } catch (error) {
    return { ok: false, error: `${flag} ${dir}: cannot create the directory (${readFailure(error)})` };
  }
}

/** Writes a report; a failure (disk full, permissions) is one line. */
export function writeText(file: string, text: string): PathCheck {
  try {
    writeFileSync(file, text);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: `cannot write ${file}: ${readFailure(error)}` };
  }
}
