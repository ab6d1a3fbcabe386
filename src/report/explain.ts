/**
 * `npx rolecall explain PERSON ACCOUNT` as text: every path from the person
 * to the account (group in master, role there, permission sets with their
 * levels and evidence; pipelines the person can change), then the result.
 * Machine principals that reach the account are listed after the paths:
 * they are not the person's, but a reader of "who can get in" needs them.
 */
import type { AccessMatrix, CellAccess, PermissionSetAccess } from '../plan/access';
import type { AccessLevel } from '../model/schema';
import { compareAccessLevel } from '../iam/actions';
import type { ReportHolder, ReportIndex } from './access-json';
import { cellSummary, transitiveText } from './access-markdown';

/** What explain knows beyond the matrix: the guardrail bounding the cell, and the actions of a set above a level. */
export interface ExplainOptions {
  bound?: { level: AccessLevel; guardrails: string[] };
  actionsAbove?: (set: string, level: AccessLevel) => string[];
}

/** Without a guardrail, a set above `read` lists its actions above `read` when they are this few (ReadOnlyAccess's eight). */
const UNBOUNDED_LIST_MAX = 25;

function setLines(sets: PermissionSetAccess[], options: ExplainOptions): string[] {
  const width = Math.max(...sets.map((s) => s.name.length));
  const out: string[] = [];
  for (const s of sets) {
    out.push(`      ${s.name.padEnd(width)}  ${s.level.padEnd(11)}  ${s.action ?? '(allows nothing)'}`);
    const limit = options.bound?.level ?? 'read';
    if (options.actionsAbove === undefined || compareAccessLevel(s.level, limit) <= 0) continue;
    const above = options.actionsAbove(s.name, limit);
    const why = options.bound
      ? `the guardrail${options.bound.guardrails.length === 1 ? '' : 's'} ${options.bound.guardrails.map((g) => `"${g}"`).join(', ')} allow${options.bound.guardrails.length === 1 ? 's' : ''} at most ${limit}`
      : undefined;
    // Bounded: every breaking action, however many (one edit fixes the file). Unbounded: only a short list (a surprise like ReadOnlyAccess's).
    if (why === undefined && above.length > UNBOUNDED_LIST_MAX) {
      out.push(`        ${above.length} actions above ${limit}`);
      continue;
    }
    out.push(`        ${above.length} action${above.length === 1 ? '' : 's'} above ${limit}${why ? ` (${why})` : ''}:`);
    for (const a of above) out.push(`          ${a}`);
  }
  return out;
}

/** The role lines of a function or join path: the role, who shares it, or the group's own policies. */
function roleLines(path: {
  role: string;
  roleArn?: string;
  roleFunctions?: string[];
  groupPolicy?: boolean;
  identityCenter?: { permissionSet: string; roleArn?: string };
}): string[] {
  if (path.groupPolicy) return ["    role:  none: the group's own policies in the identity account (identityPermissions)"];
  const idc = path.identityCenter;
  const sso = idc ? (idc.roleArn ?? `AWSReservedSSO_${idc.permissionSet}_* (once the account has an id)`) : undefined;
  const out =
    idc && path.roleArn === idc.roleArn
      ? [`    role:  ${sso} (Identity Center permission set ${idc.permissionSet})`]
      : [`    role:  ${path.roleArn ?? `${path.role} (created once the account has an id)`}`];
  if (idc && path.roleArn !== idc.roleArn) out.push(`    or:    ${sso} (Identity Center permission set ${idc.permissionSet})`);
  if (path.roleFunctions) out.push(`    shared: role ${path.role} is shared by functions ${path.roleFunctions.join(', ')}`);
  return out;
}

/** `until:` where the path ends: the access entry's, the person's time-bound membership's, the earlier. */
function untilLine(path: { until?: string }, membership: string | undefined): string[] {
  const ends = [path.until, membership].filter((u): u is string => u !== undefined).sort();
  if (ends.length === 0) return [];
  const why = membership !== undefined && ends[0] === membership ? 'time-bound membership' : 'time-bound grant';
  return [`    until: ${ends[0]} (${why}; IAM refuses the assume after it, applied or not)`];
}

/** `who` is a person's name, or `function NAME` for the function x account view. */
export function renderExplain(
  matrix: AccessMatrix,
  cell: CellAccess & { person?: string; function?: string },
  options: ExplainOptions = {},
): string {
  const who = cell.person ?? `function ${cell.function}`;
  const memberships = cell.person !== undefined ? matrix.people.find((p) => p.name === cell.person)?.until : undefined;
  const account = matrix.accounts.find((a) => a.name === cell.account)!;
  const identity = matrix.accounts.find((a) => a.identity);
  const out: string[] = [];
  out.push(`${who} -> ${account.name}${account.id ? ` (${account.id})` : ' (no account id yet)'}: ${cell.level}`);
  if (cell.paths.length === 0) {
    out.push(
      `  no path: ${who} holds no function granted on ${account.name}, changes no pipeline applying to it, and reaches it through no other account.`,
    );
    return out.join('\n');
  }
  cell.paths.forEach((path, i) => {
    out.push('');
    switch (path.kind) {
      case 'function':
        out.push(`  path ${i + 1}: function ${path.function}: ${path.level}`);
        out.push(
          memberships?.[path.function] !== undefined
            ? `    group: none: a time-bound membership of ${path.function}, a policy of ${who}'s own`
            : path.identityCenter !== undefined && path.roleArn === path.identityCenter.roleArn
              ? `    group: ${path.group} in Identity Center`
              : `    group: ${path.group} in ${identity ? `${identity.name} (${identity.id ?? 'no id'})` : 'the identity account'}${path.identityCenter ? ', and in Identity Center' : ''}`,
        );
        out.push(...roleLines(path));
        out.push(...untilLine(path, memberships?.[path.function]));
        out.push('    permission sets:');
        out.push(...setLines(path.permissionSets, options));
        break;
      case 'pipeline': {
        const creds =
          path.credentials.kind === 'ambient'
            ? "the runner's own credentials"
            : `${path.credentials.roleArn ?? path.credentials.role ?? 'its apply role'}`;
        out.push(`  path ${i + 1}: pipeline ${path.pipeline}: ${path.level}`);
        out.push(
          `    as ${cell.person !== undefined ? 'a member of ' : ''}changer function ${path.changer.name}: changers hold what the pipeline applies ${account.name} with (${creds}), e.g. ${path.action}`,
        );
        break;
      }
      case 'chain':
        out.push(`  path ${i + 1}: a chain of principals (transitive): ${path.level}${path.until ? `, until ${path.until}` : ''}`);
        path.chain.forEach((hop, n) => {
          const how =
            hop.edge === undefined
              ? 'the holder'
              : `${hop.edge}${hop.via ? ` ${hop.via}` : ''}${hop.action && hop.action !== '*' ? `: ${hop.action}` : ''}`;
          out.push(`    ${n === 0 ? 'from' : 'then'}:  ${hop.label} (${how})`);
        });
        out.push(`    holds: ${path.level} here, e.g. ${path.action ?? '(nothing named)'}`);
        if (path.undecided) out.push('    note:  leans on a condition rolecall cannot decide; counted as met (the report errs high)');
        break;
    }
  });
  const machines = matrix.principals.filter((p) => p.account === cell.account);
  if (machines.length > 0) {
    out.push('');
    out.push(`  also on ${account.name}, without MFA (functions' principals):`);
    for (const m of machines)
      out.push(`    ${m.principal} -> ${m.role === '' ? `through ${m.path}` : `role ${m.role}`} (function ${m.function}): ${m.level}`);
  }
  out.push('');
  out.push(
    cell.evidence ? `  level: ${cell.level}, set by ${cell.evidence.action} through ${cell.evidence.path}` : `  level: ${cell.level}`,
  );
  return out.join('\n');
}

/** `explain PERSON`: the holder's functions, pipelines and transitive paths, then one line per account reached (derived from the compact report). */
export function renderHolderSummary(index: ReportIndex, who: string, holder: ReportHolder): string {
  const out: string[] = [];
  const cells = index.cellsOf(holder);
  out.push(`${who}: reaches ${cells.length} of ${index.accounts.length} accounts`);
  out.push(`  functions: ${holder.functions.join(', ') || '(none)'}`);
  if (holder.pipelines.length > 0)
    out.push(`  pipelines: ${holder.pipelines.map((p) => `${p.pipeline} (changer function ${p.changer.name})`).join(', ')}`);
  if (holder.transitive.length > 0) out.push(`  transitive: ${transitiveText(holder.transitive)}`);
  if (cells.length > 0) out.push('');
  const width = Math.max(0, ...cells.map((c) => c.account.length));
  for (const cell of cells) {
    const { level, via } = cellSummary(cell);
    out.push(`  ${cell.account.padEnd(width)}  ${level.padEnd(11)}  ${via.join(', ')}${cell.evidence ? ` (${cell.evidence.action})` : ''}`);
  }
  out.push('');
  out.push(`  one account in full: npx --no-install rolecall explain ${who.replace(/^function /, '')} ACCOUNT`);
  return out.join('\n');
}
