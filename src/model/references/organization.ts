/** The reference checks of organization: the master and identity accounts, the password policy, rolePath, manage. */
import { PASSWORD_POLICY_DEFAULTS } from '../schema';
import { interpretedText } from '../messages';
import * as msg from '../reference-messages';
import { interpretedFragment } from '../terraform-text';
import { LIMITS } from '../../limits';
import type { CheckContext } from './resolution';

export function checkOrganization(c: CheckContext): void {
  const org = c.s.organization;
  if (!org) return;
  if (c.reference(['organization', 'master'], 'account', org.master, c.s.accounts, 'accounts')) {
    const master = c.s.accounts![org.master];
    if (master && master.id === undefined) c.report(['accounts', org.master], msg.masterNeedsId(org.master));
  }
  if (org.identity !== undefined && org.identity !== org.master) {
    if (c.reference(['organization', 'identity'], 'account', org.identity, c.s.accounts, 'accounts')) {
      const identity = c.s.accounts![org.identity];
      if (identity && identity.id === undefined) c.report(['accounts', org.identity], msg.identityNeedsId(org.identity));
    }
  }
  const bounds = LIMITS.passwordPolicy;
  for (const key of ['minimumLength', 'maxAge', 'reusePrevention'] as const) {
    const value = org.passwordPolicy[key];
    if (value < bounds[key].min || value > bounds[key].max) {
      c.report(['organization', 'passwordPolicy', key], msg.passwordPolicyOutOfRange(key, value, bounds[key].min, bounds[key].max));
    }
  }
  if (org.passwordPolicy.minimumLength < PASSWORD_POLICY_DEFAULTS.minimumLength) {
    c.report(['organization', 'passwordPolicy', 'minimumLength'], msg.weakPasswordLength(org.passwordPolicy.minimumLength), 'notice');
  }
  const fragment = interpretedFragment(org.rolePath);
  if (fragment) c.report(['organization', 'rolePath'], interpretedText(fragment));
  if (org.manage) {
    if (org.id === undefined) c.report(['organization', 'manage'], msg.manageNeeds('id'));
    if (org.rootId === undefined) c.report(['organization', 'manage'], msg.manageNeeds('rootId'));
  }
}
