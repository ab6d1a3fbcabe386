import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { FULL_AWS_ACCESS_SCP } from '../../plan/organization';
import { targetsOverQuota } from '../organization';
import type { Rule } from '../rule';

/** `attached`: every policy the account would carry, FullAWSAccess included. */
/**
 * Only custom SCPs can push an account over: name the statements to move,
 * those of the last custom SCP, into another custom SCP the account carries.
 */
export function tooManyScps(account: string, attached: readonly string[], max: number): Message {
  const custom = attached.filter((name) => name.startsWith(CUSTOM_PREFIX)).map((name) => name.slice(CUSTOM_PREFIX.length));
  const fix =
    custom.length >= 2
      ? `move the statements of scps.${custom[custom.length - 1]} into scps.${custom[custom.length - 2]} (both attach to ${account}), or narrow the accounts either selects`
      : 'this is a rolecall bug: please report it';
  return {
    code: 'RC322',
    message: `account "${account}" would carry ${attached.length} service control policies (${attached.join(', ')}), over the AWS Organizations quota of ${max}`,
    expected: `at most ${max} per account, FullAWSAccess included`,
    fix,
  };
}

const CUSTOM_PREFIX = 'rolecall-custom-';

/** 5 per target, FullAWSAccess (which AWS attaches to every target) included. */
export const rule: Rule<'plan'> = {
  id: 'scps-per-target',
  code: 'RC322',
  title: 'No account carries more service control policies than AWS Organizations allows',
  needs: ['plan'],
  check: ({ model, plan }) => {
    const max = ORGANIZATIONS_QUOTAS.scpsPerTarget;
    return targetsOverQuota(plan.organizationStack, 'SERVICE_CONTROL_POLICY', FULL_AWS_ACCESS_SCP, max).map(({ target, attached }) =>
      errorAt(model, ['accounts', target], tooManyScps(target, attached, max)),
    );
  },
};
