import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { configureWorkspace } from './workspace';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamOrganizationsFeatures } from '@cdktf/provider-aws/lib/iam-organizations-features';
import { policyType, type OrganizationStackPlan } from '../plan/organization';
import { OrganizationalUnit } from '../constructs/organizational-unit';
import { OrganizationsMemberAccount } from '../constructs/organizations-account';
import { ServiceControlPolicy } from '../constructs/service-control-policy';
import { terraformSafe } from '../constructs/terraform-literal';

export interface OrganizationStackProps {
  readonly plan: OrganizationStackPlan;
  /**
   * Adopt accounts that have an id with import blocks (default true). An
   * import makes Terraform read the account from AWS during plan, even with
   * -refresh=false, so offline test plans switch it off.
   */
  readonly importExisting?: boolean;
}

/**
 * The organization stack (SPEC section 4), in the management account on its
 * ambient credentials. The organization itself is not managed: its id and
 * root id come from the file, so nothing here looks anything up.
 *
 * Construct ids come from YAML keys only: `ou-<encoded path>`,
 * `account-<name>`, `scp-<policy key>`, `rcp-<policy key>`.
 */
export class OrganizationStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id);
    // The render boundary: every string of the plan, escaped once (see terraform-literal.ts).
    const plan = terraformSafe(props.plan);
    const importExisting = props.importExisting ?? true;

    new AwsProvider(this, 'aws', {
      region: plan.provider.region,
      allowedAccountIds: plan.provider.allowedAccountIds,
      defaultTags: [{ tags: plan.provider.defaultTags }],
    });
    configureWorkspace(this, plan.backend);

    // Sorted by path, so a parent always exists before its children.
    const ouIds = new Map<string, string>();
    for (const unit of plan.organizationalUnits) {
      const parentId = unit.parentKey === undefined ? plan.rootId : ouIds.get(unit.parentKey);
      if (parentId === undefined) throw new Error(`OU ${unit.key}: parent ${unit.parentKey} is not in the plan`);
      const ou = new OrganizationalUnit(this, ouConstructId(unit.key), { name: unit.name, parentId });
      ouIds.set(unit.key, ou.unit.id);
    }

    const accountIds = new Map<string, string>();
    for (const account of plan.accounts) {
      const parentId = account.parentKey === undefined ? plan.rootId : ouIds.get(account.parentKey);
      if (parentId === undefined) throw new Error(`account ${account.key}: OU ${account.parentKey} is not in the plan`);
      const member = new OrganizationsMemberAccount(this, `account-${account.key}`, {
        name: account.name,
        email: account.email,
        parentId,
        roleName: account.roleName,
        tags: account.tags,
        importId: importExisting ? account.importId : undefined,
      });
      accountIds.set(account.key, member.account.id);
    }

    for (const policy of plan.policies) {
      const targets: Record<string, string> = {};
      for (const target of policy.targets) {
        const targetId = accountIds.get(target);
        if (targetId === undefined) throw new Error(`SCP ${policy.key}: account ${target} is not in the plan`);
        targets[target] = targetId;
      }
      const rcp = policyType(policy) === 'RESOURCE_CONTROL_POLICY';
      new ServiceControlPolicy(this, `${rcp ? 'rcp' : 'scp'}-${policy.key}`, {
        name: policy.name,
        type: policyType(policy),
        description: policy.description,
        document: policy.document,
        targets,
      });
    }

    if (plan.rootCredentialsFeatures.length > 0) {
      new IamOrganizationsFeatures(this, 'root-credentials', { enabledFeatures: plan.rootCredentialsFeatures });
    }
  }
}

/**
 * Construct id of an OU, from its path, one to one: letters, digits and "-"
 * stay, "/" becomes "__", any other character `_xHH` (its code point in
 * hex) between `_x` and `_`. `Workloads/Production` -> `ou-Workloads__Production`,
 * `Dev Team` -> `ou-Dev_x20_Team`. cdktf would silently drop those
 * characters, so `Dev Team` and `DevTeam` would otherwise collide.
 */
export function ouConstructId(path: string): string {
  let out = 'ou-';
  for (const ch of path) {
    if (/[A-Za-z0-9-]/.test(ch)) out += ch;
    else if (ch === '/') out += '__';
    else out += `_x${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out;
}
