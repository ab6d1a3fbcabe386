import { formatDiagnostic, sortDiagnostics, type Diagnostic, type KeyPath } from '../model/diagnostics';
import type { Model } from '../model/model';
import { expiredGrant } from './messages';
import { stringFlag } from './args';
import { listNames } from '../model/messages';
import { compileOrgFile, type CompileResult } from '../plan/compile';
import { referenceText } from '../model/reference-time';

type Compiled = Extract<CompileResult, { ok: true }>;
import type { OrgPlan } from '../plan/types';
import type { CliIo, CommandOptions } from './io';

/** More than this many errors are summarised: a file of junk must not print megabytes. */
export const MAX_PRINTED_DIAGNOSTICS = 50;
/** One diagnostic line longer than this is cut (a 1 MB key would otherwise be echoed whole). */
export const MAX_PRINTED_LINE = 1000;

/**
 * Prints the diagnostics (errors to stderr, notices to stdout): the first 50
 * of each kind, then `and N more errors`. True when there is no error.
 */
export function reportDiagnostics(result: CompileResult, io: CliIo, outcome = 'nothing written.'): result is Compiled {
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const notices = result.diagnostics.filter((d) => d.severity === 'notice');
  printCapped(notices, 'notice', io.out);
  printCapped(errors, 'error', io.err);
  // Where a later phase could not run, the same line says which checks did not, and why (issue 19.6).
  const notRun = result.ok ? undefined : result.notRun;
  if (errors.length > 0)
    io.err(
      `${errors.length} error${errors.length === 1 ? '' : 's'}: ${outcome}${notRun ? ` ${notRun[0].toUpperCase()}${notRun.slice(1)}.` : ''}`,
    );
  return result.ok;
}

function printCapped(list: Diagnostic[], kind: string, print: (text: string) => void): void {
  for (const d of list.slice(0, MAX_PRINTED_DIAGNOSTICS)) print(clip(formatDiagnostic(d)));
  const more = list.length - MAX_PRINTED_DIAGNOSTICS;
  if (more > 0) print(`... and ${more} more ${kind}${more === 1 ? '' : 's'} (fix the ones above first; they often cause the rest)`);
}

function clip(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.length <= MAX_PRINTED_LINE ? line : `${line.slice(0, MAX_PRINTED_LINE)}... (${line.length - MAX_PRINTED_LINE} more characters)`,
    )
    .join('\n');
}

/** Every stack the plan synthesizes, the organization stack included when managed. */
export function stackIds(plan: OrgPlan): string[] {
  return [
    ...plan.stacks.map((s) => s.id),
    ...(plan.organizationStack ? [plan.organizationStack.id] : []),
    ...(plan.bootstrapStack ? [plan.bootstrapStack.id] : []),
  ];
}

/**
 * Grants and memberships whose `until` has passed: they give no access any
 * more (IAM refuses the assume), and should leave the file. From the clock,
 * so only `validate` reports them: nothing synthesized ever depends on it.
 */
export function expiredGrants(model: Model, now: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (path: KeyPath, what: string, until: string) => {
    out.push({ severity: 'notice', file: model.file, ...model.locate(path), path, ...expiredGrant(what, until) });
  };
  for (const [fn, def] of Object.entries(model.org.functions)) {
    if (!Array.isArray(def.access)) continue;
    def.access.forEach((entry, i) => {
      if (entry.until !== undefined && Date.parse(entry.until) <= now)
        add(['functions', fn, 'access', i, 'until'], `function ${fn}'s grant of role ${entry.role ?? fn}`, entry.until);
    });
  }
  for (const [person, def] of Object.entries(model.org.people)) {
    def.functions.forEach((fn, i) => {
      const until = def.until?.[fn];
      if (until !== undefined && Date.parse(until) <= now)
        add(['people', person, 'functions', i, 'until'], `${person}'s membership of ${fn}`, until);
    });
  }
  return sortDiagnostics(out);
}

export function runValidate(options: CommandOptions, io: CliIo): number {
  const result = compileOrgFile(options.config);
  if (result.ok) {
    const expired = expiredGrants(result.model, Date.now());
    result.diagnostics = sortDiagnostics([...result.diagnostics, ...expired]);
    if (expired.length > 0 && stringFlag(options, 'fail-on') === 'expired') {
      reportDiagnostics(result, io);
      io.err(
        `rolecall validate: --fail-on expired: ${expired.length} grant${expired.length === 1 ? '' : 's'} past their until; remove them from the file`,
      );
      return 1;
    }
  }
  if (!reportDiagnostics(result, io)) return 1;
  const roles = result.plan.stacks.reduce((n, s) => n + s.roles.length, 0);
  const stacks = stackIds(result.plan);
  io.out(`${options.config}: valid. ${stacks.length} stacks (${listNames(stacks)}), ${roles} roles.`);
  // Where a bound counts from decides RC233/RC234/RC503: said when the file has one (docs/org-file.md#the-reference-time).
  const org = result.model.org;
  if (org.guardrails.some((g) => g.timeBound !== undefined) || Object.values(org.functions).some((f) => f.breakGlass !== undefined))
    io.out(`Duration bounds (timeBound.within, breakGlass) count from ${referenceText(result.model.referenceTime)}.`);
  const people = result.model.org.people;
  const keybase = Object.keys(people).filter((p) => people[p].pgpKey?.startsWith('keybase:'));
  if (keybase.length > 0) {
    const read = Object.values(people).filter((p) => p.pgpKey !== undefined).length - keybase.length;
    io.out(
      `pgpKeys: ${read} read and checked; ${keybase.length} keybase: (${listNames(keybase, 5)}) cannot be checked offline: Terraform fetches them from keybase.io at apply.`,
    );
  }
  return 0;
}
