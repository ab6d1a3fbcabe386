/**
 * `--from DIR`: one `<account name or id>.json` per account, and optionally
 * `organizations.json`. Other files are left alone (an auditor's folder may
 * hold a README); a file that cannot be read is an error, never a skip.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'fs';
import * as path from 'path';
import type { Diagnostic } from '../model/diagnostics';
import { readFailure } from '../model/load';
import {
  MAX_SNAPSHOT_BYTES,
  parseAccountSnapshot,
  parseOrganizationSnapshot,
  type AccountSnapshot,
  type OrganizationSnapshot,
} from './snapshot';

export const ORGANIZATIONS_FILE = 'organizations.json';

export interface SnapshotDir {
  accounts: AccountSnapshot[];
  organization?: OrganizationSnapshot;
  diagnostics: Diagnostic[];
}

function error(file: string, code: string, message: string, fix?: string): Diagnostic {
  return { severity: 'error', file, line: 1, col: 1, path: [], code, message, ...(fix ? { fix } : {}) };
}

/** The whole file, refusing more than MAX_SNAPSHOT_BYTES before reading it (a device or a huge file is one error). */
function readBounded(file: string): { ok: true; bytes: Buffer } | { ok: false; error: Diagnostic } {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, error: error(file, 'RA001', 'not a regular file') };
    if (st.size > MAX_SNAPSHOT_BYTES)
      return { ok: false, error: error(file, 'RA003', `the snapshot is ${st.size} bytes, more than the ${MAX_SNAPSHOT_BYTES} accepted`) };
    const bytes = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const n = readSync(fd, bytes, read, st.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { ok: true, bytes: bytes.subarray(0, read) };
  } catch (e) {
    return { ok: false, error: error(file, 'RA001', `cannot read the snapshot: ${readFailure(e)}`) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function readSnapshotDir(dir: string): SnapshotDir {
  const out: SnapshotDir = { accounts: [], diagnostics: [] };
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      out.diagnostics.push(error(dir, 'RA001', '--from needs a directory of snapshots', `give the folder that holds <account>.json files`));
      return out;
    }
    names = readdirSync(dir).sort();
  } catch (e) {
    out.diagnostics.push(error(dir, 'RA001', `cannot read the snapshot folder: ${readFailure(e)}`));
    return out;
  }
  const jsons = names.filter((n) => n.toLowerCase().endsWith('.json'));
  if (jsons.length === 0) {
    out.diagnostics.push(
      error(
        dir,
        'RA001',
        'the folder holds no .json snapshot',
        'aws iam get-account-authorization-details --output json > DIR/<account>.json',
      ),
    );
    return out;
  }
  for (const name of jsons) {
    const file = path.join(dir, name);
    const read = readBounded(file);
    if (!read.ok) {
      out.diagnostics.push(read.error);
      continue;
    }
    if (name === ORGANIZATIONS_FILE) {
      const parsed = parseOrganizationSnapshot(read.bytes, file);
      if (parsed.ok) out.organization = parsed.value;
      else out.diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const parsed = parseAccountSnapshot(read.bytes, file, name.slice(0, -'.json'.length));
    if (parsed.ok) out.accounts.push(parsed.value);
    else out.diagnostics.push(...parsed.diagnostics);
  }
  return out;
}
