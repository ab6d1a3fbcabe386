import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { FULL_AWS_ACCESS_RCP } from '../../plan/organization';
import { targetsOverQuota } from '../organization';
import type { Rule } from '../rule';

/** `attached`: every RCP the account would carry, RCPFullAWSAccess included. */
export function tooManyRcps(account: string, attached: readonly string[], max: number): Message {
  return {
    code: 'RC324',
    message: `account "${account}" would carry ${attached.length} resource control policies (${attached.join(', ')}), over the AWS Organizations quota of ${max}`,
    expected: `at most ${max} per account, RCPFullAWSAccess included`,
    fix: 'this is a rolecall bug: please report it',
  };
}

/** RCPs count against their own 5 per target (RCPFullAWSAccess included), not the SCPs'. */
export const rule: Rule<'plan'> = {
  id: 'rcps-per-target',
  code: 'RC324',
  title: 'No account carries more resource control policies than AWS Organizations allows',
  needs: ['plan'],
  check: ({ model, plan }) => {
    const max = ORGANIZATIONS_QUOTAS.scpsPerTarget;
    return targetsOverQuota(plan.organizationStack, 'RESOURCE_CONTROL_POLICY', FULL_AWS_ACCESS_RCP, max).map(({ target, attached }) =>
      errorAt(model, ['accounts', target], tooManyRcps(target, attached, max)),
    );
  },
};
