import { errorAt, type Diagnostic, type KeyPath } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { deployableStacks, deployRoleName, ROLE_NAME_MAX, WORKSPACE_NAME_MAX, type DeployedStack } from '../../plan/deploy';
import type { Rule } from '../rule';

export function deployNameTooLong(what: string, name: string, limit: number, fix: string): Message {
  return {
    code: 'RC605',
    message: `${what} "${name}" would be ${name.length} characters, over the limit of ${limit}`,
    expected: `at most ${limit} characters`,
    fix,
  };
}

/** Names the deploy section derives (apply role names, HCP Terraform workspace names) that AWS or HCP Terraform would reject. */
export const rule: Rule<'plan'> = {
  id: 'deploy-name-length',
  code: 'RC605',
  title: 'Names derived for deployment fit AWS and HCP Terraform',
  needs: ['plan'],
  check: ({ model, plan }) => {
    const { org } = model;
    const found: Diagnostic[] = [];
    const where = (stack: DeployedStack): KeyPath =>
      stack.kind === 'account'
        ? ['accounts', stack.account.name]
        : stack.kind === 'people'
          ? ['organization', 'peopleShards']
          : ['organization', 'master'];
    if (org.deploy.credentials === 'tfc-dynamic') {
      for (const stack of deployableStacks(org)) {
        const name = deployRoleName(stack.id, 'apply');
        if (name.length > ROLE_NAME_MAX) {
          found.push(errorAt(model, where(stack), deployNameTooLong('apply role name', name, ROLE_NAME_MAX, 'use a shorter account name')));
        }
      }
    }
    if (org.deploy.backend === 'cloud') {
      for (const w of plan.deploy.workspaces) {
        const name = w.cloud?.workspace ?? '';
        if (name.length > WORKSPACE_NAME_MAX) {
          const m = deployNameTooLong('workspace name', name, WORKSPACE_NAME_MAX, 'use a shorter workspacePrefix');
          found.push(errorAt(model, ['deploy', 'cloud', 'workspacePrefix'], m));
        }
      }
    }
    return found;
  },
};
