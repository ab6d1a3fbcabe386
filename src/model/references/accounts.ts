/** The reference checks of accounts: names, tags, ids, e-mails, aliases, services and Cognito, each unique where AWS needs it. */
import { listServices, serviceExists } from '../../iam/actions';
import { LIMITS, ORGANIZATIONS_QUOTAS } from '../../limits';
import { ACCOUNT_ALIAS_PATTERN } from './text';
import type { CheckContext } from './resolution';
import * as msg from '../reference-messages';

export function checkAccounts(c: CheckContext): void {
  const accounts = c.s.accounts;
  if (!accounts) return;
  const ids = new Map<string, string>();
  const emails = new Map<string, string>();
  const aliases = new Map<string, string>();
  for (const [name, account] of Object.entries(accounts)) {
    c.checkName(['accounts', name], 'account', name, {
      max: LIMITS.accountNameChars,
      why: 'it names the stack, its directory and state file, and SCPs',
    });
    if (!account) continue;
    c.checkTags(['accounts', name, 'tags'], account.tags);
    if (Object.keys(account.tags).length > LIMITS.accountTags) {
      c.report(['accounts', name, 'tags'], msg.tooManyTags(name, Object.keys(account.tags).length, LIMITS.accountTags));
    }
    if (account.email !== undefined) {
      c.checkPlain(['accounts', name, 'email'], account.email);
      // AWS Organizations: account e-mails of 6-64 characters.
      const max = ORGANIZATIONS_QUOTAS.accountEmailChars;
      if (account.email.length > max)
        c.report(['accounts', name, 'email'], msg.textTooLong(`the e-mail of account ${name}`, account.email.length, max));
    }
    if (account.id === undefined && name !== c.master) {
      if (account.email === undefined) c.report(['accounts', name], msg.accountNeedsIdOrEmail(name));
      else c.report(['accounts', name], msg.accountWithoutId(name, c.s.organization?.manage ?? false), 'notice');
    }
    if (account.id !== undefined) {
      const other = ids.get(account.id);
      if (other !== undefined) c.report(['accounts', name, 'id'], msg.duplicateAccountValue('id', account.id, other));
      else ids.set(account.id, name);
    }
    if (account.email !== undefined) {
      const key = account.email.toLowerCase(); // mailbox domains are case-insensitive, and AWS treats them so
      const other = emails.get(key);
      if (other !== undefined) c.report(['accounts', name, 'email'], msg.duplicateAccountValue('email', account.email, other));
      else emails.set(key, name);
    }
    if (account.alias !== undefined) {
      if (!ACCOUNT_ALIAS_PATTERN.test(account.alias) || /^\d{12}$/.test(account.alias)) {
        c.report(['accounts', name, 'alias'], msg.invalidAlias(account.alias));
      } else if (account.id === undefined) {
        c.report(['accounts', name, 'alias'], msg.aliasWithoutId(name), 'notice');
      }
      const other = aliases.get(account.alias);
      if (other !== undefined) c.report(['accounts', name, 'alias'], msg.duplicateAlias(account.alias, other));
      else aliases.set(account.alias, name);
    }
    if (account.cognitoIdentityPools === true) {
      if (name === c.master) c.report(['accounts', name, 'cognitoIdentityPools'], msg.cognitoOnMaster(name));
      else if (account.id === undefined) c.report(['accounts', name, 'cognitoIdentityPools'], msg.cognitoWithoutId(name));
      else if (c.s.organization?.manage !== true) {
        c.report(['accounts', name, 'cognitoIdentityPools'], msg.cognitoWithoutManage(name), 'notice');
      }
    }
    if (account.services) {
      if (name === c.master) c.report(['accounts', name, 'services'], msg.servicesOnMaster(name));
      else if (name === c.identity) c.report(['accounts', name, 'services'], msg.servicesOnIdentity(name));
      account.services.forEach((service, i) => {
        if (!serviceExists(service)) c.report(['accounts', name, 'services', i], msg.unknownService(service, listServices()));
      });
    }
  }
}
