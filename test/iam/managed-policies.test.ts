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

  it('a document is parsed from its slice of the documents cache, the same as from the package', () => {
    const arns = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-cache-'));
    const before = process.env.ROLECALL_CACHE_DIR;
    process.env.ROLECALL_CACHE_DIR = dir;
    try {
      const built = freshModule(); // no cache yet: built from the package, then written
      const expected = arns.map((arn) => built.managedPolicyDocument(arn));
      const file = fs.readdirSync(dir).find((f) => /^managed-policies-documents-v2-.*\.jsonl$/.test(f));
      expect(file).toBeDefined();
      const fresh = freshModule(); // reads the cache: the offsets line, then one slice per document asked for
      expect(arns.map((arn) => fresh.managedPolicyDocument(arn))).toEqual(expected);
      expect(() => fresh.managedPolicyDocument('arn:aws:iam::aws:policy/Nope')).toThrow('unknown AWS managed policy');
      // A damaged slice is rebuilt from the package, never half-read.
      const text = fs.readFileSync(path.join(dir, file!), 'utf8');
      const firstLine = text.indexOf('\n');
      fs.writeFileSync(path.join(dir, file!), text.slice(0, firstLine + 1) + 'x'.repeat(text.length - firstLine - 1));
      expect(freshModule().managedPolicyDocument(arns[0])).toEqual(expected[0]);
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
