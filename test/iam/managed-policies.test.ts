/** AWS managed policies and their cache. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readCache, writeCache } from '../../src/iam/cache';
import { findManagedPolicy, managedPolicyDocument, managedPolicyNames } from '../../src/iam/managed-policies';

type PoliciesModule = typeof import('../../src/iam/managed-policies');

/** A fresh copy of the module (empty in-memory state), as a new process would see it. */
function freshModule(): PoliciesModule {
  let loaded: PoliciesModule | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance per test
    loaded = require('../../src/iam/managed-policies') as PoliciesModule;
  });
  return loaded!;
}

describe('findManagedPolicy', () => {
  it('resolves a name, a path/name and an ARN', () => {
    expect(findManagedPolicy('AdministratorAccess')).toEqual({
      name: 'AdministratorAccess',
      path: '/',
      arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    });
    const network = {
      name: 'NetworkAdministrator',
      path: '/job-function/',
      arn: 'arn:aws:iam::aws:policy/job-function/NetworkAdministrator',
    };
    expect(findManagedPolicy('job-function/NetworkAdministrator')).toEqual(network);
    expect(findManagedPolicy('arn:aws:iam::aws:policy/job-function/NetworkAdministrator')).toEqual(network);
    expect(findManagedPolicy('NetworkAdministrator')).toEqual(network); // a bare name finds any path
  });

  it('rejects unknown names, wrong paths and wrong case', () => {
    expect(findManagedPolicy('AdministratorAcess')).toBeUndefined();
    expect(findManagedPolicy('service-role/NetworkAdministrator')).toBeUndefined();
    expect(findManagedPolicy('administratoraccess')).toBeUndefined();
    expect(findManagedPolicy('arn:aws:iam::123456789012:policy/AdministratorAccess')).toBeUndefined();
  });

  it('lists every name, sorted', () => {
    const names = managedPolicyNames();
    expect(names.length).toBeGreaterThan(1000);
    expect(names).toContain('ReadOnlyAccess');
    expect(names).toEqual([...names].sort());
  });
});

describe('managedPolicyDocument', () => {
  it('returns the latest document with Statement as a list', () => {
    expect(managedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    const readOnly = managedPolicyDocument('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(Array.isArray(readOnly.Statement)).toBe(true);
    expect(readOnly.Statement.length).toBeGreaterThan(0);
  });

  it('throws for an unknown ARN', () => {
    expect(() => managedPolicyDocument('arn:aws:iam::aws:policy/Nope')).toThrow('unknown AWS managed policy');
  });
});

describe('cache', () => {
  it('finding a policy by name reads only the small index cache: not the documents, not the raw package data', () => {
    managedPolicyNames(); // make sure the cache files exist
    const fresh = freshModule();
    // The core module object itself (not an import wrapper), so the module under test sees the spy.
    const spy = jest.spyOn(jest.requireActual<typeof fs>('fs'), 'readFileSync');
    try {
      expect(fresh.findManagedPolicy('AdministratorAccess')).toBeDefined();
      const read = spy.mock.calls.map(([file]) => path.basename(String(file))).filter((f) => f !== 'package.json');
      expect(read).toEqual([expect.stringMatching(/^managed-policies-index-v1-.*\.json$/)]);
    } finally {
      spy.mockRestore();
    }
  });

  it('reads one document by parsing its own line only; a damaged documents file is rebuilt, not trusted', () => {
    const before = process.env.ROLECALL_CACHE_DIR;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-mp-'));
    process.env.ROLECALL_CACHE_DIR = dir;
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    try {
      const expected = freshModule().managedPolicyDocument(readOnly); // builds the cache files in `dir`
      const file = fs.readdirSync(dir).find((f) => f.startsWith('managed-policies-documents-v2-'))!;
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(text.startsWith('rolecall managed policy documents v2\n')).toBe(true);
      expect(text.split('\n').length).toBeGreaterThan(1000); // one line per policy

      const parse = jest.spyOn(JSON, 'parse');
      try {
        const fresh = freshModule();
        expect(fresh.managedPolicyDocument(readOnly)).toEqual(expected);
        expect(fresh.managedPolicyDocument(admin).Statement).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
        // Two documents, two small parses (package.json reads aside): never the whole file.
        const parsed = parse.mock.calls.map(([t]) => String(t)).filter((t) => !t.includes('"version"'));
        expect(parsed).toHaveLength(2);
        expect(Math.max(...parsed.map((t) => t.length))).toBeLessThan(text.length / 10);
      } finally {
        parse.mockRestore();
      }
      expect(() => freshModule().managedPolicyDocument('arn:aws:iam::aws:policy/Nope')).toThrow('unknown AWS managed policy');

      // A damaged line, then a file without the header: both rebuilt from the package.
      fs.writeFileSync(path.join(dir, file), text.replace(/^("arn:aws:iam::aws:policy\/ReadOnlyAccess"\t)\{/m, '$1{ half'));
      expect(freshModule().managedPolicyDocument(readOnly)).toEqual(expected);
      fs.writeFileSync(path.join(dir, file), '{}');
      expect(freshModule().managedPolicyDocument(readOnly)).toEqual(expected);
      expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(text);
    } finally {
      if (before === undefined) delete process.env.ROLECALL_CACHE_DIR;
      else process.env.ROLECALL_CACHE_DIR = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to memory when the cache dir cannot be written', () => {
    const before = process.env.ROLECALL_CACHE_DIR;
    process.env.ROLECALL_CACHE_DIR = '/dev/null/rolecall'; // a path under a file: never creatable
    try {
      const fresh = freshModule();
      expect(fresh.findManagedPolicy('ReadOnlyAccess')?.arn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
      expect(fresh.managedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess').Statement).toHaveLength(1);
    } finally {
      if (before === undefined) delete process.env.ROLECALL_CACHE_DIR;
      else process.env.ROLECALL_CACHE_DIR = before;
    }
  });

  it('writes atomically and reads back; a missing or corrupt file reads as undefined', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-cache-'));
    try {
      expect(writeCache(path.join(dir, 'sub'), 'x.json', { a: 1 })).toBe(true);
      expect(readCache(path.join(dir, 'sub'), 'x.json')).toEqual({ a: 1 });
      expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['x.json']); // no temp files left
      fs.writeFileSync(path.join(dir, 'bad.json'), '{ half');
      expect(readCache(dir, 'bad.json')).toBeUndefined();
      expect(readCache(dir, 'missing.json')).toBeUndefined();
      expect(writeCache('/dev/null/rolecall', 'x.json', {})).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
