/**
 * The deploy section's checks: every combination that cannot work is a
 * located error with a fix, before anything is synthesized. On the old code
 * every non-local backend and tfc-dynamic was refused as "not supported yet".
 */
import { formatKeyPath } from '../../src/model/diagnostics';
import { diagnosticsOf, errorsOf, variant, COMBINATIONS, deployVariant } from '../fixtures/deploy';

describe('deploy section', () => {
  test.each(COMBINATIONS)('$backend + $credentials is accepted (no "not supported yet")', ({ backend, credentials }) => {
    expect(errorsOf(deployVariant(backend, credentials))).toEqual([]);
  });

  test('tfc-dynamic without backend cloud: one located error naming both keys and the fix', () => {
    for (const backend of ['local', 's3']) {
      const errors = diagnosticsOf(deployVariant(backend as 'local', 'tfc-dynamic')).filter((d) => d.severity === 'error');
      expect(errors.map((d) => [formatKeyPath(d.path), d.message])).toEqual([
        ['deploy.credentials', `deploy.credentials tfc-dynamic needs backend cloud, but backend is ${backend}`],
      ]);
      expect(errors[0].line).toBeGreaterThan(1);
      expect(errors[0].fix).toContain('backend: cloud');
    }
  });

  test('backend s3 without deploy.s3, cloud without deploy.cloud or without a project', () => {
    const noS3 = variant((org) => {
      org.deploy.backend = 's3';
      delete org.deploy.s3;
    });
    expect(errorsOf(noS3)).toEqual([
      expect.stringMatching(/error RC601: deploy\.backend: deploy\.backend is s3, but deploy\.s3 is missing/),
    ]);
    const noCloud = variant((org) => {
      org.deploy.backend = 'cloud';
      delete org.deploy.cloud;
    });
    expect(errorsOf(noCloud)).toEqual([
      expect.stringMatching(/error RC601: deploy\.backend: deploy\.backend is cloud, but deploy\.cloud is missing/),
    ]);
    const noProject = variant((org) => {
      org.deploy.backend = 'cloud';
      delete org.deploy.cloud.project;
    });
    const [error] = errorsOf(noProject);
    expect(error).toMatch(/error RC602: deploy\.cloud: deploy\.cloud\.project is missing/);
    expect(error).toContain('organization:ORG:project:PROJECT:workspace:');
  });

  test('values Terraform or AWS would refuse are schema errors with what was expected', () => {
    const bad = variant((org) => {
      org.deploy.s3 = { bucket: 'Acme_State', region: 'eu-west', keyPrefix: 'no-slash', kmsKeyId: 'alias/x', assumeRole: 'role/x' };
      org.deploy.cloud = { organization: 'acme corp', project: 'p', workspacePrefix: 'a:b' };
    });
    const paths = diagnosticsOf(bad)
      .filter((d) => d.severity === 'error')
      .map((d) => formatKeyPath(d.path));
    expect(paths.sort()).toEqual(
      [
        'deploy.cloud.organization',
        'deploy.cloud.project',
        'deploy.cloud.workspacePrefix',
        'deploy.s3.assumeRole',
        'deploy.s3.bucket',
        'deploy.s3.keyPrefix',
        'deploy.s3.kmsKeyId',
        'deploy.s3.region',
      ].sort(),
    );
  });

  test('the state bucket account must exist and have an id', () => {
    const unknown = variant((org) => {
      org.deploy.s3.account = 'prodution';
    });
    expect(errorsOf(unknown).join('\n')).toMatch(/deploy\.s3\.account: unknown account "prodution"[\s\S]*did you mean "production"/);
  });

  test('an apply role name over 64 characters is a located error on the account', () => {
    const long = 'a'.repeat(45);
    const text = variant((org) => {
      org.deploy.backend = 'cloud';
      org.deploy.credentials = 'tfc-dynamic';
      org.accounts[long] = { id: '999999999999', email: 'aws+long@acme.example' };
    });
    const errors = diagnosticsOf(text).filter((d) => d.severity === 'error');
    expect(errors.map((d) => [formatKeyPath(d.path), d.message])).toEqual([
      [`accounts.${long}`, `apply role name "rolecall-account-${long}-apply" would be 68 characters, over the limit of 64`],
    ]);
  });
});

describe('deploy.adopt', () => {
  test('unknown people, functions and accounts without the role are located errors; duplicates too', () => {
    const text = variant((org) => {
      org.deploy.adopt = {
        people: ['alice', 'alicia', 'alice'],
        groups: ['operatons'],
        roles: { operations: ['production', 'master'], nobody: '*' },
      };
    });
    const errors = diagnosticsOf(text).filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${formatKeyPath(d.path)}: ${d.message}`)).toEqual([
      'deploy.adopt.people[1]: unknown person "alicia"',
      'deploy.adopt.people[2]: person "alice" is listed twice',
      'deploy.adopt.groups[0]: unknown function "operatons"',
      'deploy.adopt.roles.operations[1]: function "operations" has no role in account "master" to adopt',
      'deploy.adopt.roles.nobody: unknown function "nobody"',
    ]);
  });

  test('validate explains, as notices, what is imported where', () => {
    const text = variant((org) => {
      org.deploy.adopt = { people: ['alice'], groups: ['operations'], roles: { operations: ['production'], auditors: '*' } };
    });
    const notices = diagnosticsOf(text)
      .filter((d) => d.severity === 'notice')
      .map((d) => `${formatKeyPath(d.path)}: ${d.message}`);
    expect(notices).toEqual([
      expect.stringMatching(
        /^deploy\.adopt\.people\[0\]: the existing IAM user alice in master \(111111111111\) is imported into stack master instead of being created: its MFA devices, password and access keys stay; its console password \(login profile\) is imported too, not reset \(the user must have one[^)]*\); access keys it already has are kept/,
      ),
      'deploy.adopt.groups[0]: the existing IAM group operations in master (111111111111) is imported into stack master instead of being created: members added by hand stay until removed there',
      expect.stringMatching(
        /^deploy\.adopt\.roles\.operations: the existing IAM role operations in production \(222222222222\) is imported into stack account-production/,
      ),
      // Same line: sorted by text.
      expect.stringMatching(/^deploy\.adopt\.roles\.auditors: the existing IAM role auditors in development \(444444444444\)/),
      expect.stringMatching(
        /^deploy\.adopt\.roles\.auditors: the existing IAM role auditors in master \(111111111111\) is imported into stack master/,
      ),
      expect.stringMatching(/^deploy\.adopt\.roles\.auditors: the existing IAM role auditors in production \(222222222222\)/),
      expect.stringMatching(/^deploy\.adopt\.roles\.auditors: the existing IAM role auditors in sandbox \(555555555555\)/),
      expect.stringMatching(/^deploy\.adopt\.roles\.auditors: the existing IAM role auditors in storage \(333333333333\)/),
    ]);
  });
});
