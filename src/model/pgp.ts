/**
 * What a person's PGP public key can do, read with OpenPGP.js (the
 * maintained library, not hand-written packet parsing). Terraform encrypts
 * the console password and the access key's secret to it at apply: a key
 * that cannot encrypt (signing-only, expired, revoked, too weak) fails in
 * the middle of the identity stack. The model refuses it first.
 *
 * OpenPGP.js is asynchronous and the loader is not, and the library costs
 * about 250 ms to load: so keys are read in a worker thread, only for keys
 * not seen before, while this thread waits (Atomics.wait). Each key's
 * verdict is kept in the cache folder (src/iam/cache.ts) by the key's
 * SHA-256, with the instant it stops being usable, so a later run needs no
 * worker at all and an expiry is still seen when it comes.
 */
import * as crypto from 'crypto';
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';
import { cacheDir, readCache, writeCache } from '../iam/cache';
import { LIMITS } from '../limits';

/** Why a key is refused; `unchecked`: the library could not run (never an error). */
export type PgpProblem = 'unreadable' | 'private' | 'revoked' | 'expired' | 'no-encryption' | 'weak' | 'unchecked';

/** What the worker found, independent of when it is asked again (the cached form). */
interface Analysis {
  /** Refused whatever the time (e.g. signing-only), or expired already (it never un-expires). */
  problem?: Exclude<PgpProblem, 'unchecked'>;
  detail?: string;
  /** Epoch ms after which the key cannot encrypt any more (primary or encryption subkey expiry); absent = never. */
  validUntil?: number;
  /** The encryption subkey's id and algorithm, for messages. */
  keyId?: string;
}

export interface PgpVerdict {
  problem?: PgpProblem;
  /** Words for the message: "its only key, ed25519 (sign), cannot encrypt". */
  detail?: string;
  /** The instant the key expires (ISO), when it does. */
  expires?: string;
}

/** Smallest RSA, DSA or ElGamal key accepted, in bits (src/limits.ts says why). */
export const PGP_MIN_BITS = LIMITS.pgpMinBits;

const CACHE_FILE = 'pgp-keys-v1.json';
const CACHE_MAX = 5000;
/** The worker's deadline: reading keys takes milliseconds; the library's load a quarter second. */
const WORKER_TIMEOUT_MS = 30_000;

/** Runs in the worker: reads each key with openpgp, posts one Analysis per key. */
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const { keys, library, now, minBits, port, flag } = workerData;
const finish = (result) => { port.postMessage(result); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); };
(async () => {
  const openpgp = require(library);
  const out = [];
  const expiry = (t) => (t instanceof Date ? t.getTime() : undefined);
  const weak = (info) => /^(rsa|dsa|elgamal)/.test(info.algorithm) && typeof info.bits === 'number' && info.bits < minBits;
  const describe = (info) => info.algorithm + (info.bits ? ' ' + info.bits : '') + (info.curve ? ' ' + info.curve : '');
  for (const text of keys) {
    let key;
    try {
      key = await openpgp.readKey({ binaryKey: Buffer.from(text, 'base64') });
    } catch (error) {
      out.push({ problem: 'unreadable', detail: String((error && error.message) || error) });
      continue;
    }
    try {
      const at = new Date(now);
      if (key.isPrivate()) { out.push({ problem: 'private' }); continue; }
      if (await key.isRevoked(undefined, undefined, at)) { out.push({ problem: 'revoked' }); continue; }
      const primaryExpiry = expiry(await key.getExpirationTime());
      if (primaryExpiry !== undefined && primaryExpiry <= now) {
        out.push({ problem: 'expired', detail: new Date(primaryExpiry).toISOString() });
        continue;
      }
      const primaryInfo = key.getAlgorithmInfo();
      if (weak(primaryInfo)) { out.push({ problem: 'weak', detail: describe(primaryInfo) }); continue; }
      let encryption;
      try {
        encryption = await key.getEncryptionKey(undefined, at, undefined, { ...openpgp.config, minRSABits: 1024 });
      } catch (error) {
        // An encryption subkey that was once valid and expired, or none at all.
        const expired = [];
        for (const sub of key.subkeys) {
          const t = expiry(await sub.getExpirationTime(at).catch(() => null));
          if (t !== undefined && t <= now) expired.push(t);
        }
        if (expired.length > 0) out.push({ problem: 'expired', detail: new Date(Math.max(...expired)).toISOString() });
        else out.push({ problem: 'no-encryption', detail: describe(primaryInfo) });
        continue;
      }
      const info = encryption.getAlgorithmInfo();
      if (weak(info)) { out.push({ problem: 'weak', detail: describe(info) }); continue; }
      const subExpiry = encryption === key ? undefined : expiry(await encryption.getExpirationTime(at));
      const times = [primaryExpiry, subExpiry].filter((t) => t !== undefined);
      const result = { keyId: encryption.getKeyID().toHex() + ' (' + describe(info) + ')' };
      if (times.length > 0) result.validUntil = Math.min(...times);
      out.push(result);
    } catch (error) {
      out.push({ problem: 'unreadable', detail: String((error && error.message) || error) });
    }
  }
  finish(out);
})().catch((error) => finish({ error: String((error && error.message) || error) }));
`;

/** Reads keys in a worker, synchronously; undefined when the library or the worker failed. */
function analyseInWorker(keys: string[], now: number): Analysis[] | undefined {
  let library: string;
  try {
    library = require.resolve('openpgp');
  } catch {
    return undefined;
  }
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { keys, library, now, minBits: PGP_MIN_BITS, port: port2, flag },
    transferList: [port2],
    stdout: true,
    stderr: true,
  });
  try {
    Atomics.wait(flag, 0, 0, WORKER_TIMEOUT_MS);
    const received = receiveMessageOnPort(port1)?.message as Analysis[] | { error: string } | undefined;
    return Array.isArray(received) && received.length === keys.length ? received : undefined;
  } finally {
    void worker.terminate();
    port1.close();
  }
}

const memory = new Map<string, Analysis>();

function hashKey(compact: string): string {
  return crypto.createHash('sha256').update(compact).digest('hex');
}

function isAnalysis(value: unknown): value is Analysis {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The verdict on each base64 key (keybase: keys are the caller's business:
 * they cannot be read offline). `now` decides expiry; it never reaches a
 * synthesized file.
 */
export function checkPgpKeys(keys: readonly string[], now: number = Date.now()): Map<string, PgpVerdict> {
  const compact = new Map(keys.map((k) => [k, k.replace(/\s+/g, '')]));
  const hashes = new Map([...compact].map(([k, c]) => [k, hashKey(c)]));
  const missing = [...new Set([...hashes.values()])].filter((h) => !memory.has(h));
  if (missing.length > 0) {
    const stored = readCache<Record<string, unknown>>(cacheDir(), CACHE_FILE) ?? {};
    for (const h of missing) if (isAnalysis(stored[h])) memory.set(h, stored[h]);
    const byHash = new Map([...hashes].map(([k, h]) => [h, compact.get(k)!]));
    const todo = missing.filter((h) => !memory.has(h));
    if (todo.length > 0) {
      const found = analyseInWorker(
        todo.map((h) => byHash.get(h)!),
        now,
      );
      if (found) {
        todo.forEach((h, i) => memory.set(h, found[i]));
        const merged = { ...stored };
        for (const h of todo) merged[h] = memory.get(h);
        const entries = Object.entries(merged);
        writeCache(cacheDir(), CACHE_FILE, Object.fromEntries(entries.slice(-CACHE_MAX)));
      }
    }
  }
  const out = new Map<string, PgpVerdict>();
  for (const [key, h] of hashes) {
    const analysis = memory.get(h);
    if (!analysis) out.set(key, { problem: 'unchecked' });
    else if (analysis.problem) out.set(key, { problem: analysis.problem, ...(analysis.detail ? { detail: analysis.detail } : {}) });
    else if (analysis.validUntil !== undefined && analysis.validUntil <= now)
      out.set(key, { problem: 'expired', detail: new Date(analysis.validUntil).toISOString() });
    else
      out.set(key, {
        ...(analysis.keyId ? { detail: analysis.keyId } : {}),
        ...(analysis.validUntil !== undefined ? { expires: new Date(analysis.validUntil).toISOString() } : {}),
      });
  }
  return out;
}
