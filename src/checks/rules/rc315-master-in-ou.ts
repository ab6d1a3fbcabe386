import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import type { Rule } from '../rule';

export function masterInOu(master: string): Message {
  return {
    code: 'RC315',
    message: `rolecall does not place the management account "${master}" in an OU`,
    expected: 'no ou on the master account: the organization stack manages member accounts only',
    fix: 'remove this ou, or move the management account by hand',
  };
}

/** SCPs and account moves are for member accounts; the management account stays where it is. */
export const rule: Rule<never> = {
  id: 'master-in-ou',
  code: 'RC315',
  title: 'The management account is not placed in an OU',
  needs: [],
  check: ({ model }) => {
    const { org } = model;
    const master = org.organization.master;
    if (!org.organization.manage || org.accounts[master]?.ou === undefined) return [];
    return [errorAt(model, ['accounts', master, 'ou'], masterInOu(master))];
  },
};
