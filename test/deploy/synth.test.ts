/**
 * What the deploy section synthesizes: the terraform block (backend, cloud,
 * required_version) and provider of every stack for every combination, the
 * bootstrap stack, import blocks for adopted entities, and the promise that
 * config/org.yaml with backend local synthesizes exactly what it did before
 * issue 10.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { synthesizeApp } from '../../src/stacks/app';
import type { OrgPlan } from '../../src/plan/types';
import { COMBINATIONS, CONFIG_DIR, MANAGED_TEXT, ORG_TEXT, compiled, deployVariant, variant } from '../fixtures/deploy';

/* eslint-disable @typescript-eslint/no-explicit-any */
type StackJson = Record<string, any>;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-deploy-synth-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
/** Synthesizes a plan; returns stack id -> parsed cdk.tf.json and the raw texts. */
function synth(plan: OrgPlan): { json: Record<string, StackJson>; text: Record<string, string>; dir: string } {
  const dir = path.join(tmp, String(counter++));
  synthesizeApp(plan, dir);
  const json: Record<string, StackJson> = {};
  const text: Record<string, string> = {};
  for (const id of fs.readdirSync(path.join(dir, 'stacks')).sort()) {
    text[id] = fs.readFileSync(path.join(dir, 'stacks', id, 'cdk.tf.json'), 'utf8');
    json[id] = JSON.parse(text[id]);
  }
  return { json, text, dir };
}

describe('config/org.yaml with backend local: unchanged by issue 10', () => {
  test('the cloud and s3 sections are inert under backend local: same bytes as the deploy section before issue 10', () => {
    const before = variant((org) => {
      org.deploy = { backend: 'local', credentials: 'assume-role', assumeRoleName: 'OrganizationAccountAccessRole' };
    });
    const now = synth(compiled(ORG_TEXT)).text;
    const old = synth(compiled(before)).text;
    expect(Object.keys(now)).toEqual(['account-development', 'account-production', 'account-sandbox', 'account-storage', 'master']);
    expect(now).toEqual(old);
  });

  test('every stack keeps the terraform block and provider it had before issue 10, byte for byte', () => {
    const { json } = synth(compiled(ORG_TEXT));
    for (const [id, stack] of Object.entries(json)) {
      expect(stack.terraform).toEqual({
        backend: { local: { path: `../../../terraform-state/${id}.tfstate` } },
        required_providers: { aws: { source: 'aws', version: '5.100.0' } },
        required_version: '>= 1.5.0',
      });
      const accountId = stack.provider.aws[0].allowed_account_ids[0];
      expect(Object.keys(stack.provider.aws[0]).sort()).toEqual(
        id === 'master'
          ? ['allowed_account_ids', 'default_tags', 'region']
          : ['allowed_account_ids', 'assume_role', 'default_tags', 'region'],
      );
      if (id !== 'master') {
        expect(stack.provider.aws[0].assume_role).toEqual([
          { role_arn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, session_name: 'rolecall' },
        ]);
      }
      expect(JSON.stringify(stack)).not.toMatch(/"import"/);
    }
  });
});

describe('config/org-s3.yaml and config/org-cloud.yaml', () => {
  test.each([
    ['org-s3.yaml', { backend: 's3', credentials: 'assume-role' }],
    ['org-cloud.yaml', { backend: 'cloud', credentials: 'tfc-dynamic' }],
  ])('%s is config/org.yaml with another backend (so the examples cannot drift)', (file, deploy) => {
    const example = parse(fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8'));
    expect(example.deploy).toMatchObject(deploy);
    example.deploy.backend = 'local';
    example.deploy.credentials = 'assume-role';
    expect(example).toEqual(parse(ORG_TEXT));
  });
});

describe.each(COMBINATIONS)('$backend + $credentials', ({ backend, credentials }) => {
  let json: Record<string, StackJson>;
  beforeAll(() => {
    json = synth(compiled(deployVariant(backend, credentials, MANAGED_TEXT))).json;
  });

  test('the stacks: master, members, organization, and bootstrap when needed', () => {
    const bootstrap = backend === 's3' || credentials === 'tfc-dynamic';
    expect(Object.keys(json).sort()).toEqual(
      [
        'account-development',
        'account-production',
        'account-sandbox',
        'account-storage',
        'master',
        'organization',
        ...(bootstrap ? ['bootstrap'] : []),
      ].sort(),
    );
  });

  test("every stack's state, as deploy.backend says; bootstrap's always local", () => {
    for (const [id, stack] of Object.entries(json)) {
      const terraform = stack.terraform;
      if (backend === 'local' || id === 'bootstrap') {
        expect([id, terraform.backend, terraform.cloud, terraform.required_version]).toEqual([
          id,
          { local: { path: `../../../terraform-state/${id}.tfstate` } },
          undefined,
          '>= 1.5.0',
        ]);
      } else if (backend === 's3') {
        expect([id, terraform.backend, terraform.required_version]).toEqual([
          id,
          { s3: { bucket: 'acme-tfstate', key: `rolecall/${id}.tfstate`, region: 'eu-west-1', encrypt: true, use_lockfile: true } },
          '>= 1.11.0',
        ]);
        expect(JSON.stringify(terraform)).not.toMatch(/dynamodb/);
      } else {
        // NamedCloudWorkspace renders workspaces.name and project; a plain object would render nothing.
        expect([id, terraform.cloud, terraform.backend, terraform.required_version]).toEqual([
          id,
          { organization: 'acme', workspaces: { name: `rolecall-${id}`, project: 'aws-iam' } },
          undefined,
          '>= 1.11.0',
        ]);
      }
    }
  });

  test("every stack's provider: its account only; role chaining only with assume-role, in members", () => {
    for (const [id, stack] of Object.entries(json)) {
      if (id === 'bootstrap') continue;
      const providers = stack.provider.aws;
      expect(providers).toHaveLength(1);
      const provider = providers[0];
      expect(provider.allowed_account_ids).toHaveLength(1);
      expect(provider.alias).toBeUndefined();
      const member = id.startsWith('account-');
      if (credentials === 'assume-role' && member) {
        expect(provider.assume_role).toEqual([
          { role_arn: `arn:aws:iam::${provider.allowed_account_ids[0]}:role/OrganizationAccountAccessRole`, session_name: 'rolecall' },
        ]);
      } else {
        expect([id, provider.assume_role]).toEqual([id, undefined]);
      }
    }
  });

  test('bootstrap: one aliased provider per account (members through OrganizationAccountAccessRole), OIDC providers, roles, the state bucket', () => {
    const bootstrap = json.bootstrap;
    if (!bootstrap) return;
    const providers: any[] = bootstrap.provider.aws;
    const byAlias = Object.fromEntries(providers.map((p) => [p.alias, p]));
    expect(providers.every((p) => typeof p.alias === 'string' && p.allowed_account_ids.length === 1)).toBe(true);
    const resources = bootstrap.resource;
    if (credentials === 'tfc-dynamic') {
      expect(
        Object.keys(byAlias)
          .filter((a) => a !== 'state')
          .sort(),
      ).toEqual(['development', 'master', 'production', 'sandbox', 'storage']);
      expect(byAlias.master.assume_role).toBeUndefined();
      expect(byAlias.production.assume_role).toEqual([
        { role_arn: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole', session_name: 'rolecall-bootstrap' },
      ]);
      const oidc = resources.aws_iam_openid_connect_provider;
      expect(Object.keys(oidc).sort()).toEqual(['oidc-development', 'oidc-master', 'oidc-production', 'oidc-sandbox', 'oidc-storage']);
      for (const [id, p] of Object.entries<any>(oidc)) {
        expect([id, p.url, p.client_id_list, p.thumbprint_list, p.provider]).toEqual([
          id,
          'https://app.terraform.io',
          ['aws.workload.identity'],
          undefined,
          `aws.${id.slice(5)}`,
        ]);
      }
      const roles = resources.aws_iam_role;
      expect(Object.keys(roles)).toHaveLength(12);
      expect(roles['role-organization-apply']).toMatchObject({
        name: 'rolecall-organization-apply',
        path: '/rolecall-deploy/',
        provider: 'aws.master',
        depends_on: ['aws_iam_openid_connect_provider.oidc-master'],
      });
      expect(roles['role-account-production-plan']).toMatchObject({
        provider: 'aws.production',
        depends_on: ['aws_iam_openid_connect_provider.oidc-production'],
      });
      expect(Object.keys(resources.aws_iam_role_policy)).toHaveLength(12);
    } else {
      expect(resources.aws_iam_role).toBeUndefined();
    }
    if (backend === 's3') {
      expect(byAlias.state).toMatchObject({ region: 'eu-west-1', allowed_account_ids: ['111111111111'] });
      expect(resources.aws_s3_bucket['state-bucket']).toMatchObject({
        bucket: 'acme-tfstate',
        provider: 'aws.state',
        lifecycle: { prevent_destroy: true },
      });
      const one = (type: string) => Object.values<any>(resources[type])[0];
      expect(one('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
      expect(one('aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      ]);
      expect(one('aws_s3_bucket_public_access_block')).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(one('aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
      expect(JSON.parse(one('aws_s3_bucket_policy').policy).Statement[0]).toMatchObject({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
      // Each stack's lock object (use_lockfile) loses its noncurrent versions and delete markers; state versions stay.
      const lifecycle = one('aws_s3_bucket_lifecycle_configuration');
      const stacks = Object.keys(json).filter((id) => id !== 'bootstrap');
      expect(lifecycle.rule.map((r: any) => r.id).sort()).toEqual(stacks.map((id) => `lock-${id}`).sort());
      for (const rule of lifecycle.rule) {
        const id = rule.id.replace(/^lock-/, '');
        expect(rule).toEqual({
          id: rule.id,
          status: 'Enabled',
          filter: [{ prefix: `${json[id].terraform.backend.s3.key}.tflock` }],
          noncurrent_version_expiration: [{ noncurrent_days: 1 }],
          expiration: [{ expired_object_delete_marker: true }],
        });
      }
      expect(lifecycle.depends_on).toEqual([`aws_s3_bucket_versioning.${Object.keys(resources.aws_s3_bucket_versioning)[0]}`]);
    }
  });
});

describe('state bucket with a KMS key and a backend role', () => {
  test('SSE-KMS with a bucket key; the backend assumes the role', () => {
    const text = variant((org) => {
      org.deploy.backend = 's3';
      org.deploy.s3.kmsKeyId = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      org.deploy.s3.assumeRole = 'arn:aws:iam::111111111111:role/terraform-state';
    });
    const { json } = synth(compiled(text));
    expect(json.master.terraform.backend.s3).toMatchObject({
      kms_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      assume_role: { role_arn: 'arn:aws:iam::111111111111:role/terraform-state' },
      use_lockfile: true,
    });
    const encryption = Object.values<any>(json.bootstrap.resource.aws_s3_bucket_server_side_encryption_configuration)[0];
    expect(encryption.rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
        bucket_key_enabled: true,
      },
    ]);
  });
});

describe('deploy.adopt: import blocks (tested by synthesis: an import cannot be planned offline)', () => {
  test('adopted users, login profiles, groups and roles get an import block with the IAM name; nothing else does', () => {
    const text = variant((org) => {
      org.deploy.adopt = { people: ['alice', 'dave'], groups: ['operations'], roles: { operations: ['production'] } };
    });
    const { json } = synth(compiled(text));
    const imports = (stack: StackJson) => (stack.import ?? []).map((i: any) => [i.to, i.id]);
    expect(imports(json.master)).toEqual(
      expect.arrayContaining([
        ['aws_iam_user.user-alice', 'alice'],
        [expect.stringMatching(/^aws_iam_user_login_profile\.user-alice_login-profile_/), 'alice'],
        ['aws_iam_user.user-dave', 'dave'],
        ['aws_iam_group.group-operations', 'operations'],
      ]),
    );
    // dave has no console password: no login profile to import. Nobody else is imported.
    expect(imports(json.master)).toHaveLength(4);
    expect(imports(json['account-production'])).toEqual([['aws_iam_role.role-operations', 'operations']]);
    expect(imports(json['account-storage'])).toEqual([]);
  });
});
