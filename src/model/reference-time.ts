/**
 * The reference time of duration bounds (issue 20): a guardrail's
 * `timeBound.within` and a break-glass function's `breakGlass` admit an
 * `until` no more than that long after the change that wrote it. The change
 * is the org file's last commit, so the reference time is, first match:
 *
 * 1. `ROLECALL_REFERENCE_TIME` (an RFC 3339 UTC instant, as `until`; `now`
 *    for the clock): set by CI where the checkout's commit times say
 *    nothing useful (a squash merge re-commits, a shallow clone's history
 *    ends at HEAD);
 * 2. the committer time of the last commit that touched the file, when the
 *    file is committed and has no change on top (`git log -1 -- FILE`,
 *    `git status --porcelain -- FILE`);
 * 3. the clock: a file with uncommitted changes (the change is being made
 *    now), outside a git checkout, or read from text.
 *
 * Never later than the clock: a commit (or variable) dated ahead of it only
 * ever tightens the bound, never loosens it. The same commit validates the
 * same way on any day (its ends fall further behind the clock, never ahead of
 * its commit), and nothing synthesized ever reads the reference time.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REFERENCE_TIME_ENV = 'ROLECALL_REFERENCE_TIME';

export interface ReferenceTime {
  /** Milliseconds since the epoch. */
  ms: number;
  /** `YYYY-MM-DDTHH:MM:SSZ`. */
  iso: string;
  /** Where it comes from, for messages: `the commit time of config/org.yaml (1a2b3c4)`, `now (...)`. */
  source: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function at(ms: number, source: string): ReferenceTime {
  return { ms, iso: isoSeconds(ms), source };
}

/** The clock, saying why it is the clock. */
export function clockTime(why: string, now: number = Date.now()): ReferenceTime {
  return at(now, `now: ${why}`);
}

/** `ROLECALL_REFERENCE_TIME`, or undefined when unset; an Error for a value that is no instant. */
function fromEnv(env: NodeJS.ProcessEnv, now: number): ReferenceTime | Error | undefined {
  const value = env[REFERENCE_TIME_ENV];
  if (value === undefined || value === '') return undefined;
  if (value === 'now') return clockTime(`${REFERENCE_TIME_ENV}=now`, now);
  const ms = Date.parse(value);
  if (!INSTANT.test(value) || Number.isNaN(ms) || isoSeconds(ms) !== value)
    return new Error(
      `${REFERENCE_TIME_ENV}=${JSON.stringify(value.slice(0, 40))} is not an instant: expected YYYY-MM-DDTHH:MM:SSZ (UTC), or "now"`,
    );
  return ms > now ? clockTime(`${REFERENCE_TIME_ENV} ${value} is ahead of the clock`, now) : at(ms, `${REFERENCE_TIME_ENV}`);
}

function git(dir: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    return undefined;
  }
}

/** The committer time and short hash of the file's last commit, when it is committed with nothing on top; else why not. */
function fromGit(file: string): { ms: number; commit: string } | string {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  if (!fs.existsSync(dir)) return 'no such directory';
  const status = git(dir, ['status', '--porcelain', '--untracked-files=all', '--', base]);
  if (status === undefined) return 'not in a git checkout';
  if (status.startsWith('??')) return `${file} is not committed`;
  if (status !== '') return `${file} has uncommitted changes`;
  const log = git(dir, ['log', '-1', '--format=%cI %h', '--', base]);
  if (log === undefined || log === '') return `${file} is not committed`;
  const [when, commit] = log.split(' ');
  const ms = Date.parse(when);
  return Number.isNaN(ms) ? `${file}'s last commit has no readable time` : { ms, commit };
}

const cache = new Map<string, ReferenceTime>();

/**
 * The reference time for an org file on disk (see the module comment). An
 * Error only for a bad ROLECALL_REFERENCE_TIME: a value CI sets must never be
 * ignored silently.
 */
export function referenceTimeOf(file: string, env: NodeJS.ProcessEnv = process.env, now: number = Date.now()): ReferenceTime | Error {
  return fromEnv(env, now) ?? fromFile(file, now);
}

/**
 * referenceTimeOf, with the file's git lookup (status + log, ~10 ms) made
 * when the value is first read rather than now: only a file with a duration
 * bound reads it (RC233/RC234, RC503, validate's line), so the others never
 * run git. ROLECALL_REFERENCE_TIME is still read now (a bad value is RC020
 * for every file), and so is the clock: the value read later is the one
 * referenceTimeOf gives at this moment (the git state aside, read later).
 */
export function lazyReferenceTimeOf(file: string, env: NodeJS.ProcessEnv = process.env, now: number = Date.now()): ReferenceTime | Error {
  const given = fromEnv(env, now);
  if (given !== undefined) return given;
  let found: ReferenceTime | undefined;
  const get = () => (found ??= fromFile(file, now));
  // Getters, enumerable as plain fields are: the object reads (and compares) as the eager one does.
  return {
    get ms() {
      return get().ms;
    },
    get iso() {
      return get().iso;
    },
    get source() {
      return get().source;
    },
  };
}

/** The file's commit time (cached per path, mtime and size), else the clock; never later than the clock. */
function fromFile(file: string, now: number): ReferenceTime {
  let key: string;
  try {
    const stat = fs.statSync(file);
    key = `${path.resolve(file)}\u0000${stat.mtimeMs}\u0000${stat.size}`;
  } catch {
    return clockTime(`${file} cannot be read`, now);
  }
  let found = cache.get(key);
  if (found === undefined) {
    const committed = fromGit(file);
    found =
      typeof committed === 'string' ? clockTime(committed, now) : at(committed.ms, `the commit time of ${file} (${committed.commit})`);
    // Only commits are worth keeping: the clock moves.
    if (typeof committed !== 'string') cache.set(key, found);
  }
  return found.ms > now ? clockTime(`${file}'s last commit is dated ahead of the clock`, now) : found;
}

/** The reference time for an org file read from text (no file, no commit): the variable, else the clock. */
export function referenceTimeOfText(why: string, env: NodeJS.ProcessEnv = process.env, now: number = Date.now()): ReferenceTime | Error {
  return fromEnv(env, now) ?? clockTime(why, now);
}

/**
 * The latest `until` a bound admits: the reference time plus the bound, to the minute below (what a fix
 * suggests); an until up to a minute past it passes (the bound counts from the reference time's second).
 */
export function latestWithin(reference: ReferenceTime, seconds: number): { ms: number; iso: string; admits(until: string): boolean } {
  const ms = Math.floor((reference.ms + seconds * 1000) / 60000) * 60000;
  return { ms, iso: isoSeconds(ms), admits: (until) => Date.parse(until) <= ms + 60000 };
}

/** `2026-12-04T06:00:00Z (the commit time of config/org.yaml (1a2b3c4))`: a reference time in a message. */
export function referenceText(reference: ReferenceTime): string {
  return `${reference.iso} (${reference.source})`;
}
