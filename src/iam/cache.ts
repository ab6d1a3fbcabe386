/**
 * Where the IAM data packages live, and a small JSON cache for the compact
 * indexes built from them (the raw data is large and slow to parse).
 *
 * The cache lives in `dist/cache/` of this repository (or ROLECALL_CACHE_DIR),
 * keyed by the data package's version, so upgrading a package rebuilds it.
 * `npm run build` fills it (src/iam/warm.ts), so no user run pays for it.
 * Not under node_modules: a new folder there makes npm's hidden lockfile
 * stale, and every `npx rolecall` then re-reads the whole tree (about 1.5 s).
 * A cache that cannot be written is not an error: the index stays in memory.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * The root folder of an installed package. Both data packages restrict
 * `exports`, so `require.resolve('<pkg>/package.json')` fails: resolve the
 * main entry and walk up to the package.json that names the package.
 */
export function packageRoot(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      if (parsed.name === name) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the root of package ${name}`);
    dir = parent;
  }
}

/** The version of an installed package, read from its package.json. */
export function packageVersion(root: string): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `dist/cache` at the root of this repository, or ROLECALL_CACHE_DIR when set. */
export function cacheDir(): string {
  if (process.env.ROLECALL_CACHE_DIR) return process.env.ROLECALL_CACHE_DIR;
  // From src/iam (tests) or dist/src/iam (the build): the first folder up with a package.json.
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'cache');
}

/** Reads a cached JSON file; undefined when absent or unreadable (then it is rebuilt). */
export function readCache<T>(dir: string, file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Reads a cached text file; undefined when absent or unreadable. */
export function readCacheText(dir: string, file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes a cache file atomically (temp file + rename), so parallel processes
 * (jest workers, cdktf) never read half a file. Failures are ignored on
 * purpose: the caller keeps the value in memory.
 */
export function writeCache(dir: string, file: string, value: unknown): boolean {
  return writeCacheText(dir, file, JSON.stringify(value));
}

/** As writeCache, for a file that is not one JSON value (e.g. an indexed list, read in slices). */
export function writeCacheText(dir: string, file: string, text: string): boolean {
  const target = path.join(dir, file);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, target);
    return true;
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // nothing to clean up
    }
    return false;
  }
}
