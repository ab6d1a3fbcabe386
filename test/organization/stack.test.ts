import { Testing } from 'cdktf';
import { OrganizationStack, ouConstructId } from '../../src/stacks/organization-stack';
import { buildApp } from '../../src/stacks/app';
import { MANAGED_TEXT, MASTER_ID, planOf, variant } from '../fixtures/organization';
import { parsePolicy } from '../constructs/synth';

/* eslint-disable @typescript-eslint/no-explicit-any */
function synthOrg(text: string, importExisting = true): any {
  const { org } = planOf(text);
  const app = Testing.app();
  return JSON.parse(Testing.synth(new OrganizationStack(app, 'organization', { plan: org, importExisting })));
}

/** `type.name` -> resource body, without cdktf's metadata. */
function resources(json: any): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [type, byName] of Object.entries<any>(json.resource)) {
    for (const [name, body] of Object.entries<any>(byName)) {
      const { ['//']: _metadata, ...rest } = body;
      void _metadata;
      out[`${type}.${name}`] = rest;
    }
  }
  return out;
}

describe('organization stack (synthesized)', () => {
  const json = synthOrg(MANAGED_TEXT);
  const all = resources(json);

  test('provider: master account only, region, default tags, no assumed role; local state', () => {
    expect(json.provider.aws).toEqual([
      { allowed_account_ids: [MASTER_ID], default_tags: [{ tags: { ManagedBy: 'rolecall', Organization: 'acme' } }], region: 'eu-west-1' },
    ]);
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform-state/organization.tfstate' } });
    // Nothing is looked up: the organization's ids come from the file.
    expect(json.data).toBeUndefined();
  });

  test('no account can be closed or recreated by a plan', () => {
    const accounts = Object.entries(all).filter(([a]) => a.startsWith('aws_organizations_account.'));
    expect(accounts).toHaveLength(5);
    for (const [, body] of accounts) {
      expect(body.close_on_deletion).toBe(false);
      expect(body.lifecycle.prevent_destroy).toBe(true);
      expect(body.lifecycle.ignore_changes).toEqual(['email', 'name', 'role_name', 'iam_user_access_to_billing']);
    }
  });

  test('accounts with an id are imported; the one without is created with the deploy role', () => {
    expect(json.import).toEqual([
      { id: '444444444444', to: 'aws_organizations_account.account-development' },
      { id: '222222222222', to: 'aws_organizations_account.account-production' },
      { id: '555555555555', to: 'aws_organizations_account.account-sandbox' },
      { id: '333333333333', to: 'aws_organizations_account.account-storage' },
    ]);
    expect(all['aws_organizations_account.account-analytics'].role_name).toBe('OrganizationAccountAccessRole');
    expect(all['aws_organizations_account.account-storage'].role_name).toBeUndefined();
    expect(synthOrg(MANAGED_TEXT, false).import).toBeUndefined();
  });

  test('OUs nest by reference from the root id; accounts point at their OU', () => {
    expect(all['aws_organizations_organizational_unit.ou-Workloads']).toEqual({ name: 'Workloads', parent_id: 'r-ab12' });
    expect(all['aws_organizations_organizational_unit.ou-Workloads__Production']).toEqual({
      name: 'Production',
      parent_id: '${aws_organizations_organizational_unit.ou-Workloads.id}',
    });
    expect(all['aws_organizations_account.account-storage'].parent_id).toBe(
      '${aws_organizations_organizational_unit.ou-Workloads__Production.id}',
    );
  });

  test('SCPs are attached to member accounts by reference, the content is the planned document', () => {
    const { org } = planOf(MANAGED_TEXT);
    for (const policy of org.policies) {
      const rcp = policy.type === 'RESOURCE_CONTROL_POLICY';
      const body = all[`aws_organizations_policy.${rcp ? 'rcp' : 'scp'}-${policy.key}`];
      expect(body.type).toBe(rcp ? 'RESOURCE_CONTROL_POLICY' : 'SERVICE_CONTROL_POLICY');
      expect(parsePolicy(body.content)).toEqual(policy.document);
    }
    const targets = Object.entries(all)
      .filter(([a]) => a.startsWith('aws_organizations_policy_attachment.'))
      .map(([, b]) => `${b.policy_id} -> ${b.target_id}`)
      .sort();
    expect(targets).toContain('${aws_organizations_policy.scp-services-storage.id} -> ${aws_organizations_account.account-storage.id}');
    expect(targets).toHaveLength(12); // baseline SCP and perimeter RCP on 5 members, 2 services SCPs
    expect(targets.join('\n')).not.toContain(MASTER_ID);
  });

  test('root credentials of member accounts are managed centrally', () => {
    expect(all['aws_iam_organizations_features.root-credentials']).toEqual({
      enabled_features: ['RootCredentialsManagement', 'RootSessions'],
    });
  });

  test('adding an account and an OU leaves every existing resource exactly as it was', () => {
    const grown = resources(
      synthOrg(
        variant((org) => {
          org.accounts.research = { email: 'aws+research@acme.example', ou: 'Workloads/Research' };
        }),
      ),
    );
    for (const [address, body] of Object.entries(all)) expect([address, grown[address]]).toEqual([address, body]);
    expect(
      Object.keys(grown)
        .filter((a) => !(a in all))
        .map((a) => a.replace(/_[0-9A-F]{8}$/, '')),
    ).toEqual([
      'aws_organizations_account.account-research',
      'aws_organizations_organizational_unit.ou-Workloads__Research',
      'aws_organizations_policy_attachment.rcp-member-perimeter_attach-research',
      'aws_organizations_policy_attachment.scp-member-baseline_attach-research',
    ]);
  });

  test('buildApp renders the organization stack only when the file manages the organization', () => {
    const { plan } = planOf(MANAGED_TEXT);
    const app = buildApp(plan, Testing.app().outdir);
    expect(app.node.tryFindChild('organization')).toBeInstanceOf(OrganizationStack);
    const unmanaged = buildApp({ ...plan, organizationStack: undefined }, Testing.app().outdir);
    expect(unmanaged.node.tryFindChild('organization')).toBeUndefined();
  });
});

describe('ouConstructId', () => {
  test('is one to one where cdktf would collapse names', () => {
    const paths = ['DevTeam', 'Dev Team', 'Dev_Team', 'Dev-Team', 'Dev/Team', 'Dev.Team', 'Dev__Team', 'Dev_x20_Team'];
    const ids = paths.map(ouConstructId);
    expect(new Set(ids).size).toBe(paths.length);
    for (const id of ids) expect(id).toMatch(/^ou-[A-Za-z0-9_-]+$/); // a valid Terraform name, nothing dropped
    expect(ouConstructId('Workloads/Production')).toBe('ou-Workloads__Production');
    expect(ouConstructId('Dev Team')).toBe('ou-Dev_x20_Team');
  });
});
