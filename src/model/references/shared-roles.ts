/** Roles shared by several functions in one account, once every grant is collected. */
import { roleClashKey } from './text';
import { CheckContext, type PendingGrant } from './resolution';
import * as msg from '../reference-messages';

/**
 * Roles shared by several functions in one account (SPEC section 1): the
 * same permission sets and session length from every function naming it,
 * and no two role names of one account that IAM (case-insensitive) or the
 * construct tree would take for one. Reported at every entry involved.
 */
export function checkSharedRoles(c: CheckContext): void {
  const byAccount = new Map<string, Map<string, Array<{ fn: string; grant: PendingGrant }>>>();
  for (const fn of Object.keys(c.grants).sort()) {
    for (const [account, byRole] of Object.entries(c.grants[fn])) {
      let roles = byAccount.get(account);
      if (!roles) byAccount.set(account, (roles = new Map()));
      for (const grant of Object.values(byRole)) {
        const holders = roles.get(grant.role) ?? [];
        holders.push({ fn, grant });
        roles.set(grant.role, holders);
      }
    }
  }
  const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
  for (const account of [...byAccount.keys()].sort()) {
    const roles = byAccount.get(account)!;
    const clashes = new Map<string, string>();
    for (const role of [...roles.keys()].sort()) {
      const key = roleClashKey(role);
      const other = clashes.get(key);
      if (other !== undefined) {
        for (const h of [...roles.get(other)!, ...roles.get(role)!]) {
          c.report(h.grant.path, msg.roleNamesClash(account, other, role));
        }
      } else clashes.set(key, role);
      const holders = roles.get(role)!;
      if (holders.length < 2) continue;
      const first = holders[0];
      for (const other of holders.slice(1)) {
        if (!same(first.grant.sets, other.grant.sets)) {
          const a = [...first.grant.sets].sort();
          const b = [...other.grant.sets].sort();
          c.report(first.grant.path, msg.sharedRoleDiffers(role, account, first.fn, a, other.fn, b, other.grant.path));
          c.report(other.grant.path, msg.sharedRoleDiffers(role, account, other.fn, b, first.fn, a, first.grant.path));
        }
        if (first.grant.sessionDuration !== other.grant.sessionDuration) {
          const a = first.grant.sessionDuration;
          const b = other.grant.sessionDuration;
          c.report(first.grant.path, msg.sharedRoleSessionDiffers(role, account, first.fn, a, other.fn, b));
          c.report(other.grant.path, msg.sharedRoleSessionDiffers(role, account, other.fn, b, first.fn, a));
        }
      }
    }
  }
}
