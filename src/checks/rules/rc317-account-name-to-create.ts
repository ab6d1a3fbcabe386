import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import { ORGANIZATIONS_QUOTAS } from '../../limits';
import { memberAccountNames } from '../../plan/organization';
import type { Rule } from '../rule';

export function accountNameTooLongToCreate(name: string, max: number): Message {
  return {
    code: 'RC317',
    message: `account name "${name}" is ${name.length} characters long, too long to create the account`,
    expected: `at most ${max} characters (AWS account names)`,
  };
}

/** Only accounts the stack creates (no id): an adopted account keeps the name it has. */
export const rule: Rule<never> = {
  id: 'account-name-to-create',
  code: 'RC317',
  title: 'Accounts the organization stack creates have names AWS accepts',
  needs: [],
  check: ({ model }) => {
    const { org } = model;
    if (!org.organization.manage) return [];
    return memberAccountNames(org)
      .filter((name) => !org.accounts[name].id && name.length > ORGANIZATIONS_QUOTAS.accountNameChars)
      .map((name) => errorAt(model, ['accounts', name], accountNameTooLongToCreate(name, ORGANIZATIONS_QUOTAS.accountNameChars)));
  },
};
