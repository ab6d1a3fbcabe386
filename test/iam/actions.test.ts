/** The IAM action catalog. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  selfScopedLevelOf,
  accessLevelOf,
  actionExists,
  canonicalAction,
  compareAccessLevel,
  expandActionPattern,
  listActions,
  listServices,
  maxAccessLevel,
  parseAccessLevel,
  serviceExists,
} from '../../src/iam/actions';
import { findManagedPolicy, managedPolicyDocument } from '../../src/iam/managed-policies';

describe('services', () => {
  it('lists service prefixes, sorted and unique', () => {
    const services = listServices();
    expect(services).toEqual(expect.arrayContaining(['s3', 'ec2', 'iam', 'logs']));
    expect(services).toEqual([...new Set(services)].sort());
  });

  it('knows which prefixes exist, in any case', () => {
    expect(serviceExists('s3')).toBe(true);
    expect(serviceExists('S3')).toBe(true);
    expect(serviceExists('s4')).toBe(false);
  });
});

describe('actions', () => {
  it('finds actions case-insensitively, as IAM does', () => {
    expect(actionExists('s3:GetObject')).toBe(true);
    expect(actionExists('S3:getobject')).toBe(true);
    expect(actionExists('s3:GetObjekt')).toBe(false);
    expect(actionExists('s4:GetObject')).toBe(false);
    expect(actionExists('GetObject')).toBe(false);
    expect(actionExists('s3:Get*')).toBe(false); // a pattern, not an action
  });

  it('gives canonical names', () => {
    expect(canonicalAction('S3:getobject')).toBe('s3:GetObject');
    expect(canonicalAction('s3:nope')).toBeUndefined();
    expect(listActions('s3')).toContain('s3:GetObject');
    expect(listActions('nope')).toEqual([]);
  });
});

describe('expandActionPattern', () => {
  it('expands * within a service, sorted, canonical', () => {
    const actions = expandActionPattern('s3:Get*');
    expect(actions).toContain('s3:GetObject');
    expect(actions.every((a) => a.startsWith('s3:Get'))).toBe(true);
    expect(actions).toEqual([...actions].sort());
    expect(expandActionPattern('S3:get*')).toEqual(actions);
  });

  it('supports ? for one character', () => {
    expect(expandActionPattern('ec2:Describe?pcs')).toEqual(['ec2:DescribeVpcs']);
  });

  it('supports wildcards in the service part', () => {
    const actions = expandActionPattern('*:GetObject');
    expect(actions).toContain('s3:GetObject');
    expect(actions.every((a) => a.endsWith(':GetObject'))).toBe(true);
    expect(expandActionPattern('s?:ListBucket')).toEqual(['s3:ListBucket']);
  });

  it('expands * alone to every action', () => {
    const all = expandActionPattern('*');
    expect(all.length).toBeGreaterThan(10000);
    expect(all).toContain('iam:PutRolePolicy');
    expect(expandActionPattern('*:*')).toEqual(all);
  });

  it('returns a known action as itself and nothing for unknown or malformed patterns', () => {
    expect(expandActionPattern('s3:getobject')).toEqual(['s3:GetObject']);
    expect(expandActionPattern('s3:Gett*')).toEqual([]);
    expect(expandActionPattern('s4:*')).toEqual([]);
    expect(expandActionPattern('s3')).toEqual([]);
    expect(expandActionPattern('a:b:c')).toEqual([]);
  });
});

describe('access levels', () => {
  it('reads the level of an action', () => {
    expect(accessLevelOf('s3:ListBucket')).toBe('list');
    expect(accessLevelOf('s3:GetObject')).toBe('read');
    expect(accessLevelOf('ec2:CreateTags')).toBe('write'); // 'Tagging'
    expect(accessLevelOf('s3:PutBucketPolicy')).toBe('permissions'); // 'Permissions management'
    expect(accessLevelOf('s3:Nope')).toBeUndefined();
  });

  it('rates IAM writes on principals, their policies and trust as admin, keeping their catalog level for self-scoped grants', () => {
    // Each of these creates or changes a principal, its policies or its trust.
    for (const action of [
      'iam:CreateRole',
      'iam:TagRole',
      'iam:PutRolePolicy',
      'iam:AddUserToGroup',
      'iam:PutGroupPolicy',
      'iam:AttachGroupPolicy',
      'iam:UpdateAssumeRolePolicy',
      'iam:CreatePolicyVersion',
      'iam:CreateAccessKey',
      'iam:CreateLoginProfile',
      'iam:CreateOpenIDConnectProvider',
      'iam:UpdateSAMLProvider',
      'iam:AddRoleToInstanceProfile',
    ]) {
      expect([action, accessLevelOf(action)]).toEqual([action, 'admin']);
    }
    expect(selfScopedLevelOf('iam:CreateRole')).toBe('write');
    expect(selfScopedLevelOf('iam:PutRolePolicy')).toBe('permissions');
    // Not admin: own password only; service-linked roles trust only their service; PassRole hands over an existing role.
    expect(accessLevelOf('iam:ChangePassword')).toBe('write');
    expect(accessLevelOf('iam:CreateServiceLinkedRole')).toBe('write');
    expect(accessLevelOf('iam:PassRole')).toBe('write');
    // Reads of IAM and writes of other IAM resources keep their level.
    expect(accessLevelOf('iam:GetRole')).toBe('read');
    expect(accessLevelOf('iam:UpdateAccountPasswordPolicy')).toBe('write');
    expect(accessLevelOf('iam:CreateVirtualMFADevice')).toBe('write');
    expect(accessLevelOf('s3:Nope')).toBeUndefined();
  });

  it('takes the highest part of a combined level', () => {
    expect(parseAccessLevel('Tagging')).toBe('write');
    expect(parseAccessLevel('Permissions management, Write')).toBe('permissions');
    expect(parseAccessLevel('List')).toBe('list');
    expect(parseAccessLevel('Something new')).toBe('permissions'); // over-, never under-estimate
  });

  it('orders levels none < list < read < write < permissions < admin', () => {
    expect(compareAccessLevel('admin', 'permissions')).toBeGreaterThan(0);
    expect(compareAccessLevel('none', 'list')).toBeLessThan(0);
    expect(compareAccessLevel('permissions', 'write')).toBeGreaterThan(0);
    expect(compareAccessLevel('read', 'read')).toBe(0);
    const shuffled = ['write', 'admin', 'none', 'permissions', 'list', 'read'] as const;
    expect([...shuffled].sort(compareAccessLevel)).toEqual(['none', 'list', 'read', 'write', 'permissions', 'admin']);
    expect(maxAccessLevel(['list', 'write', 'read'])).toBe('write');
    expect(maxAccessLevel([])).toBe('none');
  });
});

describe('expandActionPattern fast paths agree with a plain wildcard match', () => {
  /** The definition: every catalog action whose service and name match the IAM wildcard, case-insensitively. */
  function bruteForce(pattern: string): string[] {
    const [servicePart, actionPart] = pattern === '*' ? ['*', '*'] : pattern.split(':');
    const re = (p: string) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
        'i',
      );
    return listServices()
      .filter((s) => re(servicePart).test(s))
      .flatMap((s) => listActions(s).filter((a) => re(actionPart).test(a.slice(s.length + 1))))
      .sort();
  }

  const readOnly = managedPolicyDocument(findManagedPolicy('ReadOnlyAccess')!.arn).Statement.flatMap((s) => [s.Action ?? []].flat());
  const odd = [
    '*',
    's3:*',
    'S3:getobject',
    's3:*Object?',
    '*:Get*',
    'ec2:Describe*',
    'iam:*User*',
    'iam:?etUser',
    'nope:*',
    's3:Nope',
    'S3:GET*',
  ];

  test.each(odd)('%s', (pattern) => {
    expect(expandActionPattern(pattern)).toEqual(bruteForce(pattern));
  });

  test(`every pattern of ReadOnlyAccess (${readOnly.length})`, () => {
    for (const pattern of readOnly) expect([pattern, expandActionPattern(pattern)]).toEqual([pattern, bruteForce(pattern)]);
  });
});

describe('the compact catalog cache', () => {
  type ActionsModule = typeof import('../../src/iam/actions');
  /** A fresh copy of the module (empty in-memory catalog), as a new process would see it. */
  function freshActions(): ActionsModule {
    let loaded: ActionsModule | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance per case
      loaded = require('../../src/iam/actions') as ActionsModule;
    });
    return loaded!;
  }

  it('has one line per service; a lookup parses its service line only; the same answers as the raw files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-actions-'));
    const before = process.env.ROLECALL_CACHE_DIR;
    process.env.ROLECALL_CACHE_DIR = dir; // read on every use: the fresh modules below see it
    try {
      const all = freshActions().expandActionPattern('*'); // builds the cache from the raw files
      expect(all).toEqual(expandActionPattern('*'));
      const file = fs.readdirSync(dir).find((f) => f.startsWith('iam-actions-v3-'))!;
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(text.startsWith('rolecall IAM action catalog v3\n')).toBe(true);
      expect(text.split('\n').length).toBeGreaterThan(300);

      const parse = jest.spyOn(JSON, 'parse');
      try {
        const fresh = freshActions();
        expect(fresh.canonicalAction('S3:getobject')).toBe('s3:GetObject');
        expect(fresh.actionExists('s3:NoSuchAction')).toBe(false);
        // s3's line (package.json files aside), never the 0.7 MB file.
        const parsed = parse.mock.calls.map(([t]) => String(t));
        expect(parsed.filter((t) => t.startsWith('[['))).toHaveLength(1);
        expect(parsed.filter((t) => t.length > text.length / 10)).toEqual([]);
        expect(fresh.listActions('s3')).toEqual(listActions('s3'));
        expect(fresh.expandActionPattern('*')).toEqual(all);
      } finally {
        parse.mockRestore();
      }

      // A damaged line, then a file without its header: still the raw files' answers.
      fs.writeFileSync(path.join(dir, file), text.replace(/^s3\t\[/m, 's3\t[ half'));
      expect(freshActions().listActions('s3')).toEqual(listActions('s3'));
      fs.writeFileSync(path.join(dir, file), '{}');
      const headless = freshActions();
      expect(headless.accessLevelOf('iam:CreateUser')).toBe('admin');
      expect(headless.expandActionPattern('*')).toEqual(all);
    } finally {
      if (before === undefined) delete process.env.ROLECALL_CACHE_DIR;
      else process.env.ROLECALL_CACHE_DIR = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
