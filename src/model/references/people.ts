/** The reference checks of people: user names, functions held (and until when), pgp keys. */
import { USER_NAME_PATTERN } from '../schema';
import type { KeyPath } from '../diagnostics';
import { durationSeconds } from '../duration';
import { checkPgpKeys } from '../pgp';
import { latestWithin, referenceText } from '../reference-time';
import { LIMITS } from '../../limits';
import { pgpKeyValid } from './text';
import type { CheckContext } from './resolution';
import * as msg from '../reference-messages';

export function checkPeople(c: CheckContext): void {
  const people = c.s.people;
  if (!people) return;
  const names = Object.keys(people);
  if (names.length > LIMITS.people) c.report(['people'], msg.tooManyPeople(names.length, LIMITS.people));
  const lower = new Map<string, string>();
  const pgpKeys: Array<{ person: string; key: string }> = [];
  for (const [name, person] of Object.entries(people)) {
    const path: KeyPath = ['people', name];
    if (!USER_NAME_PATTERN.test(name) || name.length > LIMITS.userNameChars) c.report(path, msg.invalidUserName(name));
    const other = lower.get(name.toLowerCase());
    if (other !== undefined) c.report(path, msg.nameDiffersOnlyInCase('person', name, other, 'IAM user names are case-insensitive'));
    else lower.set(name.toLowerCase(), name);
    if (!person) continue;
    // Neither the name nor the e-mail ever fails for the tag alphabet: the plan maps them into it for the
    // Name and Email tags (src/plan/tags.ts), and the file and reports keep them as written.
    if (person.pgpKey !== undefined && !pgpKeyValid(person.pgpKey)) c.report([...path, 'pgpKey'], msg.badPgpKey());
    else if (person.pgpKey !== undefined) pgpKeys.push({ person: name, key: person.pgpKey });
    const seen = new Set<string>();
    person.functions.forEach((fn, i) => {
      if (seen.has(fn)) c.report([...path, 'functions', i], msg.duplicateInList('function', fn));
      else c.reference([...path, 'functions', i], 'function', fn, c.s.functions, 'functions');
      seen.add(fn);
    });
    for (const [i, fn] of person.functions.entries()) {
      const until = person.until?.[fn];
      if (until !== undefined) c.checkUntil([...path, 'functions', i, 'until'], until);
      checkBreakGlass(c, [...path, 'functions', i], name, fn, until);
    }
    if (seen.size > LIMITS.functionsPerPerson)
      c.report([...path, 'functions'], msg.tooManyFunctions(name, seen.size, LIMITS.functionsPerPerson));
    if (person.pgpKey === undefined) {
      if (person.console) c.report([...path, 'console'], msg.needsPgpKey('console'));
      if (person.accessKey) c.report([...path, 'accessKey'], msg.needsPgpKey('accessKey'));
    }
  }
  checkArmouredKeys(c, pgpKeys);
}

/**
 * A membership of a break-glass function: time-bound, ending at most
 * `breakGlass` after the reference time (the org file's last commit, else
 * the clock: src/model/reference-time.ts). The same commit passes on any
 * day, and synthesized files never read it.
 */
function checkBreakGlass(c: CheckContext, path: KeyPath, person: string, fn: string, until: string | undefined): void {
  const bound = c.s.functions?.[fn]?.breakGlass;
  if (bound === undefined) return;
  const latest = latestWithin(c.referenceTime, durationSeconds(bound));
  const from = referenceText(c.referenceTime);
  if (until === undefined) c.report(path, msg.breakGlassWithoutUntil(person, fn, bound, latest.iso, from));
  else if (!latest.admits(until)) c.report([...path, 'until'], msg.breakGlassTooLong(person, fn, until, bound, latest.iso, from));
}

/**
 * Each base64 key is read (src/model/pgp.ts): Terraform must be able to
 * encrypt to it at apply. keybase: keys are fetched by Terraform at apply
 * and cannot be read offline: `validate` says so in its summary, not as a
 * diagnostic every command would repeat.
 */
function checkArmouredKeys(c: CheckContext, keys: Array<{ person: string; key: string }>): void {
  const armoured = keys.filter((k) => !k.key.startsWith('keybase:'));
  if (armoured.length === 0) return;
  const verdicts = checkPgpKeys(armoured.map((k) => k.key));
  for (const { person, key } of armoured) {
    const verdict = verdicts.get(key);
    if (!verdict?.problem) continue;
    const at: KeyPath = ['people', person, 'pgpKey'];
    if (verdict.problem === 'unchecked') c.report(at, msg.pgpKeyUnchecked(person), 'notice');
    else if (verdict.problem === 'unreadable') c.report(at, msg.badPgpKey(verdict.detail));
    else c.report(at, msg.pgpKeyCannotEncrypt(person, verdict.problem, verdict.detail));
  }
}
