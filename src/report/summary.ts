/**
 * Summaries of the compact access report for large organisations (issue 12):
 * per account, who holds write or more, named by cause (functions with their
 * member counts, pipelines with their changer functions, and the people who
 * reach it transitively), so the reports grow with functions x accounts and
 * people x functions, never people x accounts.
 */
import { compareAccessLevel } from '../iam/actions';
import type { AccessLevel } from '../model/schema';
import type { AccessReport } from './access-json';

/** Above this many person x account cells, reports summarise instead of drawing the people x accounts matrix. */
export const FULL_MATRIX_CELLS = 2500;
/** Above this many accounts, functions are listed per level instead of drawn as a functions x accounts matrix. */
export const FULL_FUNCTION_COLUMNS = 30;

export function drawsPeopleMatrix(report: AccessReport): boolean {
  return report.people.length * report.accounts.length <= FULL_MATRIX_CELLS;
}

export interface AccountHolders {
  /** Functions whose role there is write or more: name, level, number of members, and the grant's end when it has one. */
  functions: Array<{ name: string; level: AccessLevel; members: number; until?: string }>;
  /** Pipelines applying the account (write or more), with their changer functions. */
  pipelines: Array<{ name: string; level: AccessLevel; changers: string[] }>;
  /** People who reach the account at write or more through a transitive path (join, management), by name. */
  transitive: Array<{ person: string; level: AccessLevel; via: string }>;
}

const atLeastWrite = (level: AccessLevel) => compareAccessLevel(level, 'write') >= 0;

/** Per account (by name): who holds write or more there. */
export function writeHolders(report: AccessReport): Map<string, AccountHolders> {
  const out = new Map<string, AccountHolders>(report.accounts.map((a) => [a.name, { functions: [], pipelines: [], transitive: [] }]));
  const members = new Map(report.functions.map((f) => [f.name, f.members.length]));
  for (const role of report.roles) {
    if (atLeastWrite(role.level))
      out.get(role.account)?.functions.push({
        name: role.function,
        level: role.level,
        members: members.get(role.function) ?? 0,
        ...(role.until !== undefined ? { until: role.until } : {}),
      });
  }
  const changers = new Map(
    report.pipelines.map((p) => [p.name, report.functions.filter((f) => f.pipelines.includes(p.name)).map((f) => f.name)]),
  );
  for (const access of report.pipelineAccess) {
    if (atLeastWrite(access.level))
      out
        .get(access.account)
        ?.pipelines.push({ name: access.pipeline, level: access.level, changers: changers.get(access.pipeline) ?? [] });
  }
  for (const person of report.people) {
    for (const group of person.transitive) {
      for (const t of group.targets)
        if (atLeastWrite(t.level))
          out.get(t.account)?.transitive.push({ person: person.name, level: t.level, via: `chain through ${t.last.label}` });
    }
  }
  return out;
}

/** One line of text: `mobile (write, 412 members); pipeline terraform-cloud (admin, changers: sre); alice (admin, management account)`. */
export function holdersText(h: AccountHolders, maxNames = 20): string {
  const parts = [
    ...h.functions.map(
      (f) => `${f.name} (${f.level}${f.until ? ` until ${f.until}` : ''}, ${f.members} member${f.members === 1 ? '' : 's'})`,
    ),
    ...h.pipelines.map((p) => `pipeline ${p.name} (${p.level}, changers: ${p.changers.join(', ') || 'none'})`),
  ];
  const people = [...new Map(h.transitive.map((t) => [t.person, t])).values()];
  const shown = people.slice(0, maxNames).map((t) => `${t.person} (${t.level}, ${t.via})`);
  if (people.length > maxNames) shown.push(`and ${people.length - maxNames} more people transitively`);
  return [...parts, ...shown].join('; ') || 'nobody';
}
