/**
 * `npx rolecall diff --base REF`: who gains or loses which access, as a
 * reviewer reads it ("bob gains write on production"), not as a JSON diff.
 * Compares two access matrices cell by cell: level, functions and pipelines.
 */
import { compareAccessLevel } from '../iam/actions';
import type { AccessCell, AccessMatrix } from '../plan/access';

export interface AccessChange {
  person: string;
  account: string;
  before: AccessCell | undefined;
  after: AccessCell | undefined;
  /** One line per change, for people. */
  summary: string;
  /** For a machine principal's change (person = `principal <arn>`): its level before and after. */
  levels?: { before: AccessCell['level']; after: AccessCell['level'] };
}

const NO_ACCESS = { level: 'none' as const, functions: [] as string[], pipelines: [] as string[] };

/** Every person x account whose level, functions or pipelines differ, sorted by person then account. */
export function diffAccess(before: AccessMatrix | undefined, after: AccessMatrix): AccessChange[] {
  const people = new Set([...(before?.people ?? []).map((p) => p.name), ...after.people.map((p) => p.name)]);
  const accounts = new Set([...(before?.accounts ?? []).map((a) => a.name), ...after.accounts.map((a) => a.name)]);
  const has = (m: AccessMatrix | undefined, person: string, account: string) =>
    !!m && m.people.some((p) => p.name === person) && m.accounts.some((a) => a.name === account);
  const changes: AccessChange[] = [];
  for (const person of [...people].sort()) {
    for (const account of [...accounts].sort()) {
      const b = has(before, person, account) ? before!.cell(person, account) : undefined;
      const a = has(after, person, account) ? after.cell(person, account) : undefined;
      const summary = describeChange(person, account, b ?? NO_ACCESS, a ?? NO_ACCESS);
      if (summary) changes.push({ person, account, before: b, after: a, summary });
    }
  }
  changes.push(...diffPrincipals(before, after));
  return changes;
}

/**
 * Machine principals (functions.<fn>.principals) are not people, but they
 * hold access: "principal arn:aws:iam::...:role/ci gains write on staging".
 */
function diffPrincipals(before: AccessMatrix | undefined, after: AccessMatrix): AccessChange[] {
  const index = (m: AccessMatrix | undefined) => {
    const out = new Map<string, CellLike>();
    for (const p of m?.principals ?? []) {
      const key = `${p.principal} ${p.account}`;
      const cell = out.get(key) ?? { level: 'none' as const, functions: [], pipelines: [] };
      out.set(key, {
        level: compareAccessLevel(p.level, cell.level) > 0 ? p.level : cell.level,
        functions: [...cell.functions, p.function].sort(),
        pipelines: [],
      });
    }
    return out;
  };
  const b = index(before);
  const a = index(after);
  const changes: AccessChange[] = [];
  for (const key of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const [principal, account] = key.split(' ');
    const was = b.get(key) ?? NO_ACCESS;
    const now = a.get(key) ?? NO_ACCESS;
    const summary = describeChange(`principal ${principal}`, account, was, now);
    if (summary) changes.push({ person: `principal ${principal}`, account, before: undefined, after: undefined, summary, levels: { before: was.level, after: now.level } });
  }
  return changes;
}

type CellLike = Pick<AccessCell, 'level' | 'functions' | 'pipelines'>;

function describeChange(person: string, account: string, b: CellLike, a: CellLike): string | undefined {
  const parts: string[] = [];
  const byLevel = compareAccessLevel(a.level, b.level);
  if (byLevel > 0) parts.push(b.level === 'none' ? `gains ${a.level} on ${account}` : `gains ${a.level} on ${account} (was ${b.level})`);
  if (byLevel < 0) parts.push(a.level === 'none' ? `loses all access to ${account} (was ${b.level})` : `drops to ${a.level} on ${account} (was ${b.level})`);
  const via = (kind: string, was: string[], now: string[]) => {
    const added = now.filter((x) => !was.includes(x));
    const removed = was.filter((x) => !now.includes(x));
    if (added.length) parts.push(`+${kind} ${added.join(', ')}`);
    if (removed.length) parts.push(`-${kind} ${removed.join(', ')}`);
  };
  via('function', b.functions, a.functions);
  via('pipeline', b.pipelines, a.pipelines);
  if (parts.length === 0) return undefined;
  if (byLevel === 0) parts.unshift(`keeps ${a.level} on ${account}`);
  return `${person} ${parts.join('; ')}`;
}

export function renderAccessDiff(changes: AccessChange[], baseLabel: string): string {
  if (changes.length === 0) return `No access changes against ${baseLabel}.`;
  const levels = (c: AccessChange) => c.levels ?? { before: c.before?.level ?? 'none', after: c.after?.level ?? 'none' };
  const gains = changes.filter((c) => compareAccessLevel(levels(c).after, levels(c).before) > 0).length;
  const losses = changes.filter((c) => compareAccessLevel(levels(c).after, levels(c).before) < 0).length;
  return [
    `Access changes against ${baseLabel}: ${changes.length} (${gains} gains, ${losses} losses, ${changes.length - gains - losses} other)`,
    ...changes.map((c) => `  ${c.summary}`),
  ].join('\n');
}
