/**
 * The reference checks' shared state and resolution: names that must exist,
 * selectors resolved to accounts (reporting the ones that match nothing),
 * and the grants collected from functions.<fn>.access.
 */
import { type Account, NAME_EXPECTED, NAME_PATTERN, type Selector, type SelectorObject } from '../schema';
import type { KeyPath } from '../diagnostics';
import { durationSeconds } from '../duration';
import { interpretedText } from '../messages';
import * as msg from '../reference-messages';
import { didYouMean } from '../suggest';
import { interpretedFragment } from '../terraform-text';
import type { ReferenceTime } from '../reference-time';
import { LIMITS } from '../../limits';
import type { Report, Sections } from './sections';
import { DESCRIPTION_TEXT, tagProblem } from './text';
import { formatSelector, knownOuPaths, matchesSelectorObject, reservedAccounts, reservedMatches, selectAccounts } from './selectors';

/** A grant being collected: where it was first made, for messages. */
export interface PendingGrant {
  role: string;
  sets: Set<string>;
  sessionDuration: number;
  until?: string;
  path: KeyPath;
}

/**
 * What every section check shares: the sections, the report (counting
 * errors), name references, selector resolution and the grants collected so
 * far. One per run of checkReferences.
 */
export class CheckContext {
  /** function -> account -> role -> grant. */
  readonly grants: Record<string, Record<string, Record<string, PendingGrant>>> = {};

  readonly managedPolicyArns: Record<string, string[]> = {};

  /** Errors reported so far (usage notices are left out beside errors). */
  errors = 0;
  /** The caller's report, counting errors. */
  readonly report: Report;

  constructor(
    readonly s: Sections,
    report: Report,
    readonly referenceTime: ReferenceTime,
  ) {
    this.report = (path, message, severity) => {
      if (severity !== 'notice') this.errors++;
      report(path, message, severity);
    };
  }

  get master(): string | undefined {
    return this.s.organization?.master;
  }

  /** The identity account's name (default the master). */
  get identity(): string | undefined {
    return this.s.organization?.identity ?? this.s.organization?.master;
  }

  /** The valid accounts, or undefined when some did not parse (their content is unknown). */
  completeAccounts(): Record<string, Account> | undefined {
    const accounts = this.s.accounts;
    if (!accounts || Object.values(accounts).some((a) => a === null)) return undefined;
    return accounts as Record<string, Account>;
  }

  /** Reports an unknown name unless the section is unusable; true when the name exists. */
  reference(path: KeyPath, kind: string, name: string, section: Record<string, unknown> | undefined, sectionName: string): boolean {
    if (!section) return false;
    if (Object.prototype.hasOwnProperty.call(section, name)) return true;
    this.report(path, msg.unknownReference(kind, name, Object.keys(section), sectionName));
    return false;
  }

  /** A key AWS must accept as a name; with `length`, also no longer than what the name becomes allows (and why). */
  checkName(path: KeyPath, kind: string, name: string, length?: { max: number; why: string }): void {
    if (!NAME_PATTERN.test(name)) this.report(path, msg.invalidName(kind, name, NAME_EXPECTED));
    if (length !== undefined && name.length > length.max) this.report(path, msg.nameTooLong(kind, name, length.max, length.why));
  }

  /** Tag keys and values AWS would reject. */
  checkTags(path: KeyPath, tags: Record<string, string>): void {
    for (const [key, value] of Object.entries(tags)) {
      const keyProblem = tagProblem(key, true);
      if (keyProblem) this.report([...path, key], msg.tagProblem('tag key', key, keyProblem));
      const valueProblem = tagProblem(value, false);
      if (valueProblem) this.report([...path, key], msg.tagProblem(`tag value of ${key}`, value, valueProblem));
    }
  }

  /** A value that can never legitimately hold Terraform or CDKTF syntax. */
  checkPlain(path: KeyPath, value: string): void {
    const fragment = interpretedFragment(value);
    if (fragment) this.report(path, interpretedText(fragment));
  }

  checkPermissionSet(path: KeyPath, name: string): boolean {
    return this.reference(path, 'permission set', name, this.s.permissions, 'permissions');
  }

  /**
   * Records a grant: the function may use these permission sets on this
   * account, through this role, with this session length, until then (or
   * for good). A function may hold several roles in one account; entries
   * naming one role there must agree on its session length and its end
   * (an error at the later entry otherwise).
   */
  grant(
    fn: string,
    account: string,
    sets: string[],
    role: string,
    sessionDuration: number,
    until: string | undefined,
    path: KeyPath,
  ): void {
    const byRole = ((this.grants[fn] ??= {})[account] ??= {});
    const existing = byRole[role];
    if (existing === undefined) {
      byRole[role] = { role, sets: new Set(sets), sessionDuration, path, ...(until !== undefined ? { until } : {}) };
      return;
    }
    if (existing.sessionDuration !== sessionDuration) {
      this.report(path, msg.twoSessionLengths(fn, account, existing.sessionDuration, sessionDuration, existing.path));
    }
    if (existing.until !== until) this.report(path, msg.twoUntils(fn, account, role, existing.until, until, existing.path));
    for (const set of sets) existing.sets.add(set);
  }

  /** Permission set names of a oneOrMany value, reporting unknown ones; returns the known ones. */
  permissionList(path: KeyPath, value: string | string[]): string[] {
    const names = typeof value === 'string' ? [value] : value;
    return names.filter((set, i) => this.checkPermissionSet(typeof value === 'string' ? path : [...path, i], set));
  }

  /** An `until` that matches the pattern but names no real instant (2026-02-30T...). */
  checkUntil(path: KeyPath, until: string): void {
    const ms = Date.parse(until);
    if (Number.isNaN(ms) || new Date(ms).toISOString().replace('.000Z', 'Z') !== until) this.report(path, msg.badUntil(until));
  }

  checkDescription(path: KeyPath, what: string, text: string): void {
    if (text.length > LIMITS.descriptionChars) this.report(path, msg.textTooLong(what, text.length, LIMITS.descriptionChars));
    const bad = [...text].find((c) => !DESCRIPTION_TEXT.test(c));
    if (bad !== undefined) this.report(path, msg.descriptionCharacters(what, bad));
  }

  checkDuration(
    path: KeyPath,
    key: string,
    value: string,
    range: { min: number; max: number },
    min: string,
    max: string,
    why: string,
  ): void {
    const seconds = durationSeconds(value);
    if (seconds < range.min || seconds > range.max) this.report(path, msg.durationOutOfRange(key, value, min, max, why));
  }

  /**
   * The accounts a selector selects, reporting unknown names and selectors
   * that match nothing (only when every account parsed, or the "nothing"
   * might be a cascade of another error).
   */
  resolveSelector(path: KeyPath, selector: Selector, bound = false): string[] {
    const accounts = this.s.accounts;
    if (!accounts) return [];
    const allReserved = this.s.organization ? reservedAccounts(this.s.organization) : [];
    // A guardrail's object selector bounds by attributes, reserved accounts included (see guardrailAccounts).
    const reserved = bound && typeof selector === 'object' && !Array.isArray(selector) ? [] : allReserved;
    // Selected by attributes, a reserved account is left out: say so where it would have matched.
    const empty = typeof selector === 'object' && !Array.isArray(selector) && Object.keys(selector).length === 0;
    for (const name of empty ? [] : reservedMatches(selector, accounts, reserved)) {
      const starLike = selector === '*' || Object.keys(selector).every((k) => k === 'except');
      if (starLike && name === this.master) continue; // "*" (and `{ except }` alone) has always meant "but the master"
      const role = name === this.master ? 'master' : 'identity';
      this.report(
        path,
        msg.selectorSkipsReserved(typeof selector === 'string' ? '"*"' : formatSelector(selector as SelectorObject), name, role),
        'notice',
      );
    }
    if (selector === '*') {
      const selected = Object.keys(accounts).filter((a) => !reserved.includes(a));
      if (selected.length === 0 && this.master !== undefined) this.report(path, msg.starMatchesNothing());
      return selected;
    }
    if (Array.isArray(selector)) {
      const selected: string[] = [];
      selector.forEach((account, i) => {
        if (account === '*') this.report([...path, i], msg.starInNameList());
        else if (this.reference([...path, i], 'account', account, accounts, 'accounts')) selected.push(account);
      });
      return selected;
    }
    if (Object.keys(selector).length === 0) {
      this.report(path, msg.emptySelector());
      return [];
    }
    (selector.except ?? []).forEach((name, i) => this.reference([...path, 'except', i], 'account', name, accounts, 'accounts'));
    const complete = this.completeAccounts();
    if (!complete) {
      const skip = new Set([...reserved, ...(selector.except ?? [])]);
      const object = selector;
      return Object.keys(accounts).filter((a) => !skip.has(a) && accounts[a] && matchesSelectorObject(object, accounts[a]!));
    }
    const selected = selectAccounts(selector, complete, reserved);
    if (selected.length === 0) {
      let fix: string | undefined;
      if (selector.ou !== undefined && !Object.values(complete).some((a) => matchesSelectorObject({ ou: selector.ou }, a))) {
        fix = didYouMean(selector.ou, knownOuPaths(complete));
      }
      this.report(path, msg.selectorMatchesNothing(formatSelector(selector), fix));
    }
    return selected;
  }
}
