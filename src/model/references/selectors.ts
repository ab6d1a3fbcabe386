/**
 * Account selectors (SPEC section 1): what `"*"`, a list of names and a
 * selector object select, on a validated model. The checks that report on
 * selectors (unknown names, nothing matched) are in resolution.ts.
 */
import type { Account, Organization, Selector, SelectorObject } from '../schema';
import { isPlainObject } from './sections';

/** `Workloads/Production` -> [Workloads, Production]; tolerant of stray slashes. */
function ouSegments(ou: string | undefined): string[] {
  return (ou ?? '').split('/').filter((s) => s !== '');
}

/**
 * The accounts `"*"` and selector objects never select (SPEC section 1): the
 * master (management) account and the identity account, where people live.
 * Whoever holds them holds everything, so they are granted only by name.
 */
export function reservedAccounts(organization: Pick<Organization, 'master' | 'identity'>): string[] {
  return [...new Set([organization.master, organization.identity ?? organization.master])];
}

/**
 * True when every key of the selector object matches the account (ou matches
 * as a path prefix). `except` and the reserved accounts are the caller's
 * business (selectAccounts): this looks at the account's attributes only.
 */
export function matchesSelectorObject(selector: SelectorObject, account: Account): boolean {
  if (selector.ou !== undefined) {
    const wanted = ouSegments(selector.ou);
    const actual = ouSegments(account.ou);
    if (wanted.length > actual.length || wanted.some((s, i) => s !== actual[i])) return false;
  }
  if (selector.data !== undefined && account.data !== selector.data) return false;
  if (selector.environment !== undefined && account.environment !== selector.environment) return false;
  for (const [key, value] of Object.entries(selector.tags ?? {})) {
    if (account.tags[key] !== value) return false;
  }
  return true;
}

/**
 * The accounts a selector selects, sorted: `"*"` = every account but the
 * reserved ones (master, identity), a list = those accounts (unknown names
 * dropped; naming a reserved account selects it), an object = the accounts
 * it matches, never a reserved one, less its `except` names. For use on a
 * validated model. `reserved`: reservedAccounts(org.organization), or the
 * master's name alone.
 */
export function selectAccounts(selector: Selector, accounts: Record<string, Account>, reserved: string | readonly string[]): string[] {
  const skip = new Set(typeof reserved === 'string' ? [reserved] : reserved);
  if (selector === '*')
    return Object.keys(accounts)
      .filter((a) => !skip.has(a))
      .sort();
  if (Array.isArray(selector)) return [...new Set(selector.filter((a) => a in accounts))].sort();
  for (const name of selector.except ?? []) skip.add(name);
  return Object.keys(accounts)
    .filter((a) => !skip.has(a) && matchesSelectorObject(selector, accounts[a]))
    .sort();
}

/**
 * The accounts a guardrail bounds: as selectAccounts, except that a selector
 * object matches the reserved accounts too. A bound errs wide: "auditors only
 * read production" with `{ environment: production }` must bound a master
 * marked production, while a grant errs narrow and never reaches it by accident.
 */
export function guardrailAccounts(selector: Selector, accounts: Record<string, Account>, reserved: readonly string[]): string[] {
  const objectSelector = typeof selector === 'object' && !Array.isArray(selector);
  return selectAccounts(selector, accounts, objectSelector ? [] : reserved);
}

/** The reserved accounts a selector would have matched had they not been reserved (and not excepted). */
export function reservedMatches(selector: Selector, accounts: Record<string, Account | null>, reserved: readonly string[]): string[] {
  if (Array.isArray(selector)) return [];
  return reserved.filter((name) => {
    const account = accounts[name];
    if (!account) return false;
    if (selector === '*') return true;
    return !(selector.except ?? []).includes(name) && matchesSelectorObject(selector, account);
  });
}

/** `{ environment: non-production, tags: { team: x } }`, for messages. */
export function formatSelector(selector: SelectorObject): string {
  const parts = Object.entries(selector)
    .map(([k, v]) => (Array.isArray(v) ? [k, `[${v.join(', ')}]`] : [k, v]) as [string, unknown])
    .map(([k, v]) =>
      isPlainObject(v)
        ? `${k}: { ${Object.entries(v)
            .map(([tk, tv]) => `${tk}: ${String(tv)}`)
            .join(', ')} }`
        : `${k}: ${String(v)}`,
    );
  return `{ ${parts.join(', ')} }`;
}

/** All ou paths and their prefixes, for suggestions. */
export function knownOuPaths(accounts: Record<string, Account>): string[] {
  const out = new Set<string>();
  for (const account of Object.values(accounts)) {
    const segments = ouSegments(account.ou);
    for (let i = 1; i <= segments.length; i++) out.add(segments.slice(0, i).join('/'));
  }
  return [...out];
}
