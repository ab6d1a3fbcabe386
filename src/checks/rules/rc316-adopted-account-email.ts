import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { memberAccountNames } from '../../plan/organization';
import type { Rule } from '../rule';

export function adoptedAccountNeedsEmail(name: string): Message {
  return {
    code: 'RC316',
    message: `account "${name}" has no email, which the organization stack needs to adopt it`,
    expected: "email: the account's root email address (aws_organizations_account requires it; rolecall never changes it)",
  };
}

/** An account with neither id nor email is the model's error (RC304), not repeated here. */
export const rule: Rule<never> = {
  id: 'adopted-account-email',
  code: 'RC316',
  title: 'Every member account the organization stack adopts has an email',
  needs: [],
  check: ({ model }) => {
    const { org } = model;
    if (!org.organization.manage) return [];
    return memberAccountNames(org)
      .filter((name) => org.accounts[name].id && !org.accounts[name].email)
      .map((name) => errorAt(model, ['accounts', name], adoptedAccountNeedsEmail(name)));
  },
};
