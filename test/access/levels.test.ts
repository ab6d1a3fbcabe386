/**
 * Access levels of permission sets (SPEC section 1): highest IAM level of any
 * allowed action, wildcards expanded against the catalog, managed policies
 * read from their documents; Tagging is write, Permissions management is
 * permissions; the evidence is the alphabetically first action at that level.
 */
import { loadOrgText } from '../../src/model/load';
import { formatDiagnostic } from '../../src/model/diagnostics';
import type { Model } from '../../src/model/model';
import { allowedActions, levelOfActions, permissionSetLevel, resourceMatches } from '../../src/plan/access';
import { accessLevelOf } from '../../src/iam/actions';

/** A small org whose permission sets are the YAML given, one function granting each on `work`. */
function modelWith(permissions: string, extra: { manage?: boolean; services?: string } = {}): Model {
  const text = `
version: 1
organization: { name: t, region: eu-west-1, master: master${extra.manage ? ', manage: true, id: o-abc123defg, rootId: r-ab12' : ''} }
accounts:
  master: { id: "111111111111" }
  work: { id: "222222222222"${extra.services ? `, services: ${extra.services}` : ''} }
permissions:
${permissions}
functions:
  f:
    access: { work: [${[...permissions.matchAll(/^ {2}([a-z0-9-]+):/gm)].map((m) => m[1]).join(', ')}] }
`;
  const loaded = loadOrgText(text, 'levels.yaml');
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.model;
}

function level(permissions: string, set: string, extra?: { manage?: boolean; services?: string }) {
  return permissionSetLevel(modelWith(permissions, extra), set, 'work');
}

describe('permission set levels', () => {
  test('a single read action is read, with itself as evidence', () => {
    expect(level('  r: { statements: [{ actions: ["s3:GetObject"] }] }', 'r')).toEqual({ level: 'read', action: 's3:GetObject' });
  });

  test('list-only actions are list', () => {
    expect(level('  l: { statements: [{ actions: ["s3:ListAllMyBuckets", "s3:ListBucket"] }] }', 'l')).toEqual({
      level: 'list',
      action: 's3:ListAllMyBuckets',
    });
  });

  test('Tagging counts as write', () => {
    expect(accessLevelOf('s3:PutObjectTagging')).toBe('write');
    expect(level('  t: { statements: [{ actions: ["s3:GetObject", "s3:PutObjectTagging"] }] }', 't')).toEqual({
      level: 'write',
      action: 's3:PutObjectTagging',
    });
  });

  test('Permissions management counts as permissions', () => {
    expect(level('  p: { statements: [{ actions: ["s3:GetObject", "s3:PutBucketPolicy"] }] }', 'p')).toEqual({
      level: 'permissions',
      action: 's3:PutBucketPolicy',
    });
  });

  test('wildcards are expanded: s3:Get* has no write action, s3:* reaches permissions', () => {
    const get = level('  g: { statements: [{ actions: ["s3:Get*"] }] }', 'g');
    expect(get.level).toBe('read');
    expect(get.action).toMatch(/^s3:Get/);
    const all = level('  a: { statements: [{ actions: ["s3:*"] }] }', 'a');
    expect(all.level).toBe('permissions');
    expect(all.action).toMatch(/^s3:/);
  });

  test('the evidence is the alphabetically first action at the level, whatever the order written', () => {
    const a = level('  w: { statements: [{ actions: ["s3:PutObject", "s3:DeleteObject"] }] }', 'w');
    const b = level('  w: { statements: [{ actions: ["s3:DeleteObject", "s3:PutObject"] }] }', 'w');
    expect(a).toEqual({ level: 'write', action: 's3:DeleteObject' });
    expect(b).toEqual(a);
  });

  test('AWS managed policies are read from their documents', () => {
    expect(level('  logs: { managed: [CloudWatchLogsReadOnlyAccess] }', 'logs').level).toBe('read');
    expect(level('  admin: { managed: [AdministratorAccess] }', 'admin').level).toBe('admin');
    // ViewOnlyAccess looks harmless but allows iot:ListSubscriptions, which the catalog rates Write.
    expect(level('  view: { managed: [job-function/ViewOnlyAccess] }', 'view')).toEqual({
      level: 'write',
      action: 'iot:ListSubscriptions',
    });
  });

  test('NotAction in a managed policy allows everything else (PowerUserAccess reaches permissions outside IAM)', () => {
    const power = level('  power: { managed: [PowerUserAccess] }', 'power');
    expect(power.level).toBe('permissions');
    expect(power.action).not.toMatch(/^(iam|organizations|account):/);
  });

  test('an unconditional Deny on every resource lowers the level', () => {
    const text = `  r:
    statements:
      - { actions: ["s3:GetObject", "s3:PutObject"] }
      - { effect: Deny, actions: ["s3:PutObject"] }`;
    expect(level(text, 'r')).toEqual({ level: 'read', action: 's3:GetObject' });
  });

  test('a Deny with a condition or on some resources does not (the level errs high)', () => {
    const conditional = `  r:
    statements:
      - { actions: ["s3:GetObject", "s3:PutObject"] }
      - { effect: Deny, actions: ["s3:PutObject"], conditions: { Bool: { "aws:SecureTransport": "false" } } }`;
    expect(level(conditional, 'r').level).toBe('write');
    const narrow = `  r:
    statements:
      - { actions: ["s3:GetObject", "s3:PutObject"] }
      - { effect: Deny, actions: ["s3:PutObject"], resources: ["arn:aws:s3:::a/*"] }`;
    expect(level(narrow, 'r').level).toBe('write');
  });

  test('resource restrictions and Allow conditions do not lower the level', () => {
    const text = `  r:
    statements:
      - actions: ["s3:PutObject"]
        resources: ["arn:aws:s3:::only-this/*"]
        conditions: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } }`;
    expect(level(text, 'r')).toEqual({ level: 'write', action: 's3:PutObject' });
  });

  test('services count only where rolecall emits the SCP (manage: true)', () => {
    const sets = '  admin: { managed: [AdministratorAccess] }\n  ec2: { statements: [{ actions: ["ec2:CreateTags", "s3:GetObject"] }] }';
    expect(level(sets, 'ec2', { services: '[s3]' }).level).toBe('write');
    expect(level(sets, 'ec2', { services: '[s3]', manage: true })).toEqual({ level: 'read', action: 's3:GetObject' });
    expect(level(sets, 'admin', { services: '[s3]', manage: true }).action).toMatch(/^s3:/);
    // What the SCP never denies stays: the level must not drop to none.
    const caller = '  c: { statements: [{ actions: ["ec2:DescribeInstances", "sts:GetCallerIdentity"] }] }';
    expect(level(caller, 'c', { services: '[s3]', manage: true }).action).toBe('sts:GetCallerIdentity');
  });

  // Seen (issue 8): NetworkAdministrator and AdministratorAccess were both `permissions`.
  test('admin is above permissions: AdministratorAccess can rewrite IAM, NetworkAdministrator can share an ENI', () => {
    expect(level('  admin: { managed: [AdministratorAccess] }', 'admin')).toEqual({
      level: 'admin',
      action: 'iam:AddClientIDToOpenIDConnectProvider',
    });
    expect(level('  net: { managed: [job-function/NetworkAdministrator] }', 'net')).toEqual({
      level: 'permissions',
      action: 'ec2:CreateNetworkInterfacePermission',
    });
    expect(
      level('  g: { statements: [{ actions: ["iam:AddUserToGroup"], resources: ["arn:aws:iam::111111111111:group/*"] }] }', 'g'),
    ).toEqual({
      level: 'admin',
      action: 'iam:AddUserToGroup',
    });
  });

  test("self-scoped IAM writes (the caller's own user) count at their catalog level, not admin", () => {
    const own =
      '  own: { statements: [{ actions: ["iam:CreateAccessKey", "iam:UploadSSHPublicKey"], resources: ["arn:aws:iam::111111111111:user/${aws:username}"] }] }';
    expect(level(own, 'own')).toEqual({ level: 'write', action: 'iam:CreateAccessKey' });
    // The same actions on every user: admin (a key for someone else is their identity).
    const any = '  any: { statements: [{ actions: ["iam:CreateAccessKey"], resources: ["arn:aws:iam::111111111111:user/*"] }] }';
    expect(level(any, 'any')).toEqual({ level: 'admin', action: 'iam:CreateAccessKey' });
    // Granted on the own user and elsewhere: elsewhere wins.
    const both = `  both:
    statements:
      - { actions: ["iam:CreateAccessKey"], resources: ["arn:aws:iam::111111111111:user/\${aws:username}"] }
      - { actions: ["iam:CreateAccessKey"], resources: ["arn:aws:iam::111111111111:user/bob"] }`;
    expect(level(both, 'both').level).toBe('admin');
  });

  test('levels are cached per model: the same object comes back', () => {
    const model = modelWith('  admin: { managed: [AdministratorAccess] }');
    expect(permissionSetLevel(model, 'admin', 'work')).toBe(permissionSetLevel(model, 'admin', 'work'));
  });

  test('allowedActions and levelOfActions on raw statements', () => {
    expect([...allowedActions([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }])]).toEqual(['sts:AssumeRole']);
    expect(levelOfActions([])).toEqual({ level: 'none' });
    expect(allowedActions([{ Effect: 'Deny', Action: '*', Resource: '*' }]).size).toBe(0);
  });
});

describe('resource patterns (the sts:AssumeRole grants the management rule reads)', () => {
  test('IAM wildcards match whole ARNs, case-sensitively; everything else is literal', () => {
    const oaar = 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole';
    expect(resourceMatches('*', oaar)).toBe(true);
    expect(resourceMatches('arn:aws:iam::*:role/OrganizationAccountAccessRole', oaar)).toBe(true);
    expect(resourceMatches('arn:aws:iam::2222222222??:role/Organization*', oaar)).toBe(true);
    expect(resourceMatches('arn:aws:iam::*:role/organizationaccountaccessrole', oaar)).toBe(false);
    expect(resourceMatches('arn:aws:iam::*:role/app-*', oaar)).toBe(false);
    expect(resourceMatches('arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', oaar)).toBe(true);
    expect(resourceMatches('arn:aws:iam::2.2222222222:role/OrganizationAccountAccessRole', oaar)).toBe(false); // "." is not a wildcard
  });
});
