import { Construct } from 'constructs';
import { OrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/organizations-organizational-unit';

export interface OrganizationalUnitProps {
  readonly name: string;
  /** The root id (`r-...`) or a reference to the parent OU's id. */
  readonly parentId: string;
}

/**
 * One OU. The stack keys each OU by its full path, so renaming one OU (a new
 * path) replaces that OU and its sub-OUs (parent_id is ForceNew: AWS cannot
 * move an OU) and moves its accounts in place; no other OU is touched.
 *
 * Address, for `new OrganizationalUnit(stack, 'ou-Workloads__Production', ...)`:
 *   aws_organizations_organizational_unit.ou-Workloads__Production
 */
export class OrganizationalUnit extends Construct {
  readonly unit: OrganizationsOrganizationalUnit;

  constructor(scope: Construct, id: string, props: OrganizationalUnitProps) {
    super(scope, id);
    this.unit = new OrganizationsOrganizationalUnit(this, 'Default', { name: props.name, parentId: props.parentId });
  }
}
