/**
 * People shards under deploy: the synthesized bootstrap stack's apply role
 * of a shard, put to the IAM simulator (it manages people and their
 * memberships, nothing else); the workspaces command's apply order; and
 * deploy.adopt.people importing into the person's shard.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeApp } from '../../src/stacks/app';
import { shardOf } from '../../src/plan/shards';
import { renderWorkspacesText, workspacesReport } from '../../src/cli/workspaces';
import { readBootstrapRoles, simulateRoleActionOn, type SynthRole } from '../helpers/simulate';
import { compiled, diagnosticsOf, variant } from '../fixtures/deploy';

const MASTER = '111111111111';
/* eslint-disable @typescript-eslint/no-explicit-any */
const cloudSharded = (change: (org: any) => void = () => {}) =>
  variant((org) => {
    org.organization.peopleShards = 3;
    org.deploy.backend = 'cloud';
    org.deploy.credentials = 'tfc-dynamic';
    change(org);
  });

let tmp: string;
let roles: SynthRole[];
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-shards-sim-'));
  synthesizeApp(compiled(cloudSharded()), tmp);
  roles = readBootstrapRoles(path.join(tmp, 'stacks', 'bootstrap', 'cdk.tf.json'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("a people shard's apply role (simulated)", () => {
  const on = (action: string, resource: string) =>
    simulateRoleActionOn(
      roles.find((r) => r.name === 'rolecall-people-1-apply')!,
      action,
      resource,
    );

  test('manages users, their keys and passwords, and group memberships', async () => {
    expect(await on('iam:CreateUser', `arn:aws:iam::${MASTER}:user/alice`)).toBe('Allowed');
    expect(await on('iam:CreateAccessKey', `arn:aws:iam::${MASTER}:user/alice`)).toBe('Allowed');
    expect(await on('iam:CreateLoginProfile', `arn:aws:iam::${MASTER}:user/alice`)).toBe('Allowed');
    expect(await on('iam:AddUserToGroup', `arn:aws:iam::${MASTER}:group/operations`)).toBe('Allowed');
    expect(await on('iam:RemoveUserFromGroup', `arn:aws:iam::${MASTER}:group/operations`)).toBe('Allowed');
  });

  test('cannot change groups, their policies, roles, the password policy or the deploy roles', async () => {
    expect(await on('iam:AttachGroupPolicy', `arn:aws:iam::${MASTER}:group/operations`)).not.toBe('Allowed');
    expect(await on('iam:PutGroupPolicy', `arn:aws:iam::${MASTER}:group/operations`)).not.toBe('Allowed');
    expect(await on('iam:CreatePolicyVersion', `arn:aws:iam::${MASTER}:policy/operations-assume-roles-1`)).not.toBe('Allowed');
    expect(await on('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${MASTER}:role/operations`)).not.toBe('Allowed');
    expect(await on('iam:UpdateAccountPasswordPolicy', '*')).not.toBe('Allowed');
    expect(await on('iam:UpdateAssumeRolePolicy', `arn:aws:iam::${MASTER}:role/rolecall-deploy/rolecall-people-1-apply`)).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('workspaces', () => {
  test('every shard is a workspace with its own roles, applied after the identity workspace (run trigger)', () => {
    const report = workspacesReport(compiled(cloudSharded()));
    const shard = report.workspaces.find((w) => w.stack === 'people-2')!;
    expect(shard.workspace).toBe('rolecall-people-2');
    expect(shard.applyAfter).toEqual(['master']);
    expect(shard.env!.map((e) => e.value)).toContain(`arn:aws:iam::${MASTER}:role/rolecall-deploy/rolecall-people-2-apply`);
    const text = renderWorkspacesText(report, 'org.yaml');
    expect(text).toContain('rolecall-people-2\n  stack:             people-2 (account master, 111111111111)');
    expect(text).toContain('  run triggers:      rolecall-master (apply after it: its groups must exist)');
  });

  test('with local state, each shard has its own state file', () => {
    const report = workspacesReport(compiled(variant((org) => (org.organization.peopleShards = 2))));
    expect(report.workspaces.filter((w) => w.stack.startsWith('people-')).map((w) => w.state)).toEqual([
      'local file terraform-state/people-0.tfstate',
      'local file terraform-state/people-1.tfstate',
    ]);
  });
});

describe('deploy.adopt.people with shards', () => {
  test("the person is imported into their shard, and validate's notice names it", () => {
    const text = variant((org) => {
      org.organization.peopleShards = 3;
      org.deploy.adopt = { people: ['bob'] };
    });
    const plan = compiled(text);
    const home = `people-${shardOf('bob', 3)}`;
    expect(plan.stacks.find((s) => s.id === home)!.users.find((u) => u.key === 'bob')!.adopt).toBe(true);
    const notice = diagnosticsOf(text).find((d) => d.code === 'RC609')!;
    expect(notice.message).toContain(`into stack ${home}`);
  });
});

describe('deploy.adopt.people with accessKeyId', () => {
  test('the existing key is imported by its id (and ignores pgp_key), and the notice says so', () => {
    const text = variant((org) => {
      org.deploy.adopt = { people: ['alice'] };
      org.people.alice.accessKeyId = 'AKIAAAAAAAAAAAAAAAAA';
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-adopt-key-'));
    try {
      synthesizeApp(compiled(text), dir);
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'stacks', 'master', 'cdk.tf.json'), 'utf8'));
      const keyImport = (json.import as Array<{ to: string; id: string }>).find((i) => i.to.startsWith('aws_iam_access_key.user-alice_'));
      expect(keyImport?.id).toBe('AKIAAAAAAAAAAAAAAAAA');
      const key = Object.values(json.resource.aws_iam_access_key as Record<string, any>).find((k) => k.pgp_key === 'keybase:alice');
      expect(key.lifecycle).toEqual({ ignore_changes: ['pgp_key'] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(diagnosticsOf(text).find((d) => d.code === 'RC609')!.message).toContain(
      'its access key AKIAAAAAAAAAAAAAAAAA (accessKeyId) is imported too, not replaced',
    );
  });
});
