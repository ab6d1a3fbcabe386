/**
 * `npx rolecall explain PERSON ACCOUNT`: every path from the person to the
 * account (group, role, permission sets, level, evidence, transitive paths),
 * from the plan layer. `explain FUNCTION ACCOUNT` (a name that is no person's)
 * explains what the function holds on its own, members or not. Without
 * ACCOUNT: every account the person (or function) reaches, one line each.
 */
import { unknownArgument } from './messages';
import { compileOrgFile } from '../plan/compile';
import { renderExplain, renderHolderSummary } from '../report/explain';
import { buildAccessReport, ReportIndex } from '../report/access-json';
import type { CliIo, CommandOptions } from './io';
import { reportDiagnostics } from './validate';
import { compareAccessLevel } from '../iam/actions';
import type { Model } from '../model/model';
import type { AccessLevel } from '../model/schema';
import { guardrailAccounts, reservedAccounts } from '../model/references';
import { permissionSetActionsAbove } from '../plan/access';

export function runExplain(options: CommandOptions, io: CliIo): number {
  // The parser checks the positionals against main.ts's table (PERSON, and ACCOUNT or not).
  const [person, account] = options.args;
  const result = compileOrgFile(options.config);
  // A guardrail breach is when one needs explain most: the breaches first (exit 1), then the explanation of the file as written.
  const compiled = result.ok ? result : result.breached;
  if (
    !reportDiagnostics(
      result,
      { out: io.err, err: io.err },
      compiled ? 'the file does not validate; explained as written below.' : undefined,
    ) &&
    !compiled
  )
    return 1;
  const status = result.ok ? 0 : 1;
  const { matrix, model } = compiled!;
  const people = matrix.people.map((p) => p.name);
  const accounts = matrix.accounts.map((a) => a.name);
  let bad = false;
  const isFunction = !people.includes(person) && matrix.functions.some((f) => f.name === person);
  if (!people.includes(person) && !isFunction) {
    io.err(`rolecall explain: ${unknownArgument('person', 'people', person, people)}`);
    bad = true;
  }
  if (account !== undefined && !accounts.includes(account)) {
    io.err(`rolecall explain: ${unknownArgument('account', 'accounts', account, accounts)}`);
    bad = true;
  }
  // A name that is not in the file is a bad argument (exit 2), not a bad file.
  if (bad) return 2;
  if (account === undefined) {
    // One holder on every account, from the compact report (what a large org's report points to).
    const report = buildAccessReport(matrix);
    const index = new ReportIndex(report);
    const fnEntry = isFunction ? report.functions.find((f) => f.name === person) : undefined;
    const holder = fnEntry ? index.functionHolder(fnEntry) : report.people.find((p) => p.name === person);
    if (holder === undefined) return 2; // checked above; keeps the types honest without a non-null assertion
    io.out(renderHolderSummary(index, isFunction ? `function ${person}` : person, holder));
    return status;
  }
  const bound = tightestGuardrail(model, isFunction ? { function: person } : { person }, account);
  io.out(
    renderExplain(matrix, isFunction ? matrix.functionCell(person, account) : matrix.cell(person, account), {
      bound,
      actionsAbove: (set, level) => permissionSetActionsAbove(model, set, account, level).map((a) => `${a.action} (${a.level})`),
    }),
  );
  return status;
}

/** The lowest maxAccess among the guardrails that select the holder on the account, with their names; undefined when none does. */
export function tightestGuardrail(
  model: Model,
  holder: { person: string } | { function: string },
  account: string,
): { level: AccessLevel; guardrails: string[] } | undefined {
  const org = model.org;
  const reserved = reservedAccounts(org.organization);
  let best: { level: AccessLevel; guardrails: string[] } | undefined;
  for (const g of org.guardrails ?? []) {
    const functions = g.functions ?? [];
    const selects =
      'person' in holder
        ? (g.people ?? []).includes(holder.person) || (org.people[holder.person]?.functions ?? []).some((f) => functions.includes(f))
        : functions.includes(holder.function);
    if (!selects || !guardrailAccounts(g.accounts, org.accounts, reserved).includes(account)) continue;
    const byLevel = best === undefined ? -1 : compareAccessLevel(g.maxAccess, best.level);
    if (byLevel < 0) best = { level: g.maxAccess, guardrails: [g.name] };
    else if (byLevel === 0) best!.guardrails.push(g.name);
  }
  return best;
}
