/**
 * The access report as data: the interface other tools read
 * (`npx rolecall access --format json`), documented in docs/access-report.md.
 * The markdown and HTML renderings are made from this same object, so the
 * three formats cannot disagree.
 *
 * Compatibility: adding a key is not a breaking change; renaming, removing
 * or changing a key's meaning bumps ACCESS_REPORT_SCHEMA_VERSION.
 */
import { ACCESS_LEVELS, type AccessLevel } from '../model/schema';
import type { AccessMatrix, TransitiveGroup } from '../plan/access';
import { composeCell, pathLabel, sortPaths } from '../plan/access-paths';
import { compareAccessLevel } from '../iam/actions';

/**
 * 2: the `admin` level, transitive paths (join, management), pipeline credentials, the function x account view.
 * 3: compact: each function x account role and each pipeline x account once (`roles`, `pipelineAccess`), per
 *    person and function their transitive paths grouped by cause; `cells` and `functionCells` only on request
 *    (`--cells`), derivable from the rest (`deriveCell`).
 * 4: no `join` or `management` paths (nor a cell's `joins` and `management`): every transitive path is a `chain`
 *    from the access engine, naming each hop (a group joined, the management account's role assumed ...).
 */
export const ACCESS_REPORT_SCHEMA_VERSION = 4;

export interface ReportEvidence {
  action: string;
  level: AccessLevel;
}

export interface ReportPermissionSet {
  name: string;
  level: AccessLevel;
  evidence: ReportEvidence | null;
}

/** A holder's path through a function's role: the role record (ReportRole) without its account. */
export interface ReportFunctionPath extends Omit<ReportRole, 'account'> {
  kind: 'function';
}

/** A machine principal (functions.<fn>.principals) on one account: it assumes the function's role there without MFA, or reaches the account transitively. */
export interface ReportPrincipal {
  kind: 'principal';
  principal: string;
  function: string;
  account: string;
  /** The role it assumes there; empty when it reaches the account only transitively (see `path`). */
  role: string;
  roleArn: string | null;
  level: AccessLevel;
  evidence: ReportEvidence | null;
  /** The path that sets the level, e.g. `function ci`. */
  path: string;
  permissionSets: ReportPermissionSet[];
}

export interface ReportPipelinePath {
  kind: 'pipeline';
  pipeline: string;
  changer: { kind: 'function'; name: string };
  /** What the pipeline applies this account's stack with. */
  credentials: { kind: 'ambient' | 'deploy-role' | 'apply-role'; role: string | null; roleArn: string | null };
  level: AccessLevel;
  evidence: ReportEvidence | null;
}

/** One hop of a chain: the principal reached and the edge reaching it (none for the holder). */
export interface ReportChainHop {
  label: string;
  edge?: string;
  action?: string;
  via?: string;
}

/** Transitive, from the access engine: a chain of principals over the emitted policies giving more than the other paths. */
export interface ReportChainPath {
  kind: 'chain';
  chain: ReportChainHop[];
  /** The role at the end of the chain, when it is one. */
  role: string | null;
  roleArn: string | null;
  level: AccessLevel;
  evidence: ReportEvidence | null;
  /** Present (true) when the chain leans on a condition the evaluator could not decide (the level may be high). */
  undecided?: true;
  /** Present when the chain holds only until then (an expiring grant). */
  until?: string;
}

export type ReportPath = ReportFunctionPath | ReportPipelinePath | ReportChainPath;

export interface ReportCellBody {
  account: string;
  level: AccessLevel;
  evidence: (ReportEvidence & { path: string }) | null;
  functions: string[];
  roles: string[];
  permissionSets: string[];
  pipelines: string[];
  paths: ReportPath[];
}

export interface ReportCell extends ReportCellBody {
  person: string;
}

export interface ReportFunctionCell extends ReportCellBody {
  function: string;
}

/** A function's role on one account, recorded once: every member's function path there. */
export interface ReportRole {
  function: string;
  account: string;
  group: string;
  /** Empty for the group's own policies (`groupPolicy`). */
  role: string;
  roleArn: string | null;
  /** Present for a shared role: every function whose group may assume it there. */
  roleFunctions?: string[];
  /** The grant's end (access entry `until`), when it has one. */
  until?: string;
  /** Present (true) for the group's own policies in the identity account (identityPermissions): no role; a second entry beside the function's role there, if any. */
  groupPolicy?: true;
  level: AccessLevel;
  evidence: ReportEvidence | null;
  permissionSets: ReportPermissionSet[];
}

/** What a pipeline applies one account's stack with, recorded once: every changer's pipeline path there. */
export interface ReportPipelineAccess {
  pipeline: string;
  account: string;
  credentials: ReportPipelinePath['credentials'];
  level: AccessLevel;
  evidence: ReportEvidence | null;
}

/** A holder's transitive paths, grouped by cause (one entry, not one per account). */
export type ReportTransitive = {
  kind: 'chain';
  /** The chain's hops before its last; each target's path is `via` plus its `last` hop. */
  via: ReportChainHop[];
  targets: Array<Omit<ReportChainPath, 'kind' | 'chain'> & { account: string; last: ReportChainHop }>;
};

export interface ReportPersonPipeline {
  pipeline: string;
  changer: { kind: 'function'; name: string };
}

export interface ReportPerson {
  name: string;
  displayName: string;
  functions: string[];
  /** Present for time-bound memberships: function -> the end, as the person's own policies in the plan say (DateLessThan aws:CurrentTime). */
  until?: Record<string, string>;
  pipelines: ReportPersonPipeline[];
  transitive: ReportTransitive[];
}

export interface ReportFunction {
  name: string;
  description: string | null;
  members: string[];
  pipelines: string[];
  /** What the function reaches transitively on its own (members or not). */
  transitive: ReportTransitive[];
}

export interface AccessReport {
  schemaVersion: number;
  generator: 'rolecall';
  organization: string;
  levels: AccessLevel[];
  accounts: Array<{ name: string; id: string | null; data: string; environment: string; master: boolean; identity: boolean }>;
  people: ReportPerson[];
  functions: ReportFunction[];
  pipelines: Array<{ name: string; accounts: string[] }>;
  /** Every function x account where the function is granted. Sorted by function, then account. */
  roles: ReportRole[];
  /** Every pipeline x account it applies. Sorted by pipeline, then account. */
  pipelineAccess: ReportPipelineAccess[];
  /** Machine principals' access, by principal, function, account (not people: no matrix row). */
  principals: ReportPrincipal[];
  /** Only with `--cells`: person x account cells with at least one path (derivable: deriveCell). Sorted by person, then account. */
  cells?: ReportCell[];
  /** Only with `--cells`: what each function holds on its own per account; same rules as `cells`. */
  functionCells?: ReportFunctionCell[];
}

export interface AccessReportOptions {
  /** Also write every person x account and function x account cell out (schema 2's size: people x accounts x paths). */
  cells?: boolean;
}

function evidence(level: AccessLevel, action: string | undefined): ReportEvidence | null {
  return action === undefined ? null : { action, level };
}

function transitive(groups: TransitiveGroup[]): ReportTransitive[] {
  return groups.map((g): ReportTransitive => ({
    kind: 'chain',
    via: g.via.map((h) => ({ ...h })),
    targets: g.targets.map(({ account, path }) => ({
      account,
      last: { ...path.chain[path.chain.length - 1] },
      role: path.role ?? null,
      roleArn: path.roleArn ?? null,
      level: path.level,
      evidence: evidence(path.level, path.action),
      ...(path.undecided ? { undecided: true as const } : {}),
      ...(path.until !== undefined ? { until: path.until } : {}),
    })),
  }));
}

export function buildAccessReport(matrix: AccessMatrix, options: AccessReportOptions = {}): AccessReport {
  const roles: ReportRole[] = [];
  const identity = matrix.accounts.find((a) => a.identity)?.name;
  for (const fn of matrix.functions) {
    for (const account of matrix.accounts) {
      // The function's role there, then (identity account) its group's own policies: the plan's path order.
      const found = [...matrix.roles(fn.name, account.name), account.name === identity ? matrix.groupPolicy(fn.name) : undefined];
      for (const role of found) {
        if (!role) continue;
        roles.push({
          function: role.function,
          account: account.name,
          group: role.group,
          role: role.role,
          roleArn: role.roleArn ?? null,
          ...(role.roleFunctions ? { roleFunctions: [...role.roleFunctions] } : {}),
          ...(role.until !== undefined ? { until: role.until } : {}),
          ...(role.groupPolicy ? { groupPolicy: true as const } : {}),
          level: role.level,
          evidence: evidence(role.level, role.action),
          permissionSets: role.permissionSets.map((s) => ({ name: s.name, level: s.level, evidence: evidence(s.level, s.action) })),
        });
      }
    }
  }
  const pipelineAccess: ReportPipelineAccess[] = matrix.pipelines.flatMap((pipeline) =>
    matrix.pipelineCredentials(pipeline).map((c) => ({
      pipeline,
      account: c.account,
      credentials: { kind: c.kind, role: c.role ?? null, roleArn: c.roleArn ?? null },
      level: c.level,
      evidence: evidence(c.level, c.action),
    })),
  );
  const report: AccessReport = {
    schemaVersion: ACCESS_REPORT_SCHEMA_VERSION,
    generator: 'rolecall',
    organization: matrix.organization,
    levels: [...ACCESS_LEVELS],
    accounts: matrix.accounts.map((a) => ({
      name: a.name,
      id: a.id ?? null,
      data: a.data,
      environment: a.environment,
      master: a.master,
      identity: a.identity,
    })),
    people: matrix.people.map((p) => ({
      name: p.name,
      displayName: p.displayName,
      functions: p.functions,
      ...(p.until !== undefined ? { until: { ...p.until } } : {}),
      pipelines: p.pipelines.map((x) => ({ pipeline: x.pipeline, changer: { ...x.changer } })),
      transitive: transitive(matrix.transitive(p.name)),
    })),
    functions: matrix.functions.map((f) => ({
      name: f.name,
      description: f.description ?? null,
      members: f.members,
      pipelines: f.pipelines,
      transitive: transitive(matrix.functionTransitive(f.name)),
    })),
    pipelines: matrix.pipelines.map((name) => ({ name, accounts: matrix.pipelineAccounts(name) })),
    roles,
    pipelineAccess,
    principals: matrix.principals.map((p) => ({
      kind: 'principal',
      principal: p.principal,
      function: p.function,
      account: p.account,
      role: p.role,
      roleArn: p.roleArn ?? null,
      level: p.level,
      evidence: evidence(p.level, p.action),
      path: p.path,
      permissionSets: p.permissionSets.map((s) => ({ name: s.name, level: s.level, evidence: evidence(s.level, s.action) })),
    })),
  };
  if (options.cells) {
    const index = new ReportIndex(report);
    const cells: ReportCell[] = [];
    for (const person of report.people) {
      for (const cell of index.cellsOf(person)) cells.push({ person: person.name, ...cell });
    }
    const functionCells: ReportFunctionCell[] = [];
    for (const fn of report.functions) {
      for (const cell of index.cellsOf(index.functionHolder(fn))) functionCells.push({ function: fn.name, ...cell });
    }
    report.cells = cells;
    report.functionCells = functionCells;
  }
  return report;
}

/** Two-space JSON with a final newline: stable bytes for diffs and golden files. */
/** What the role column says for a function or join path: the role (and who shares it), or the group's own policies. */
export function roleText(
  path: Pick<ReportFunctionPath, 'group' | 'role' | 'roleArn' | 'roleFunctions' | 'groupPolicy'>,
  noId: string,
): string {
  if (path.groupPolicy) return `group ${path.group}'s own policies (identityPermissions)`;
  const role = path.roleArn ?? `${path.role} (${noId})`;
  return path.roleFunctions ? `${role} (shared by ${path.roleFunctions.join(', ')})` : role;
}

export function renderAccessJson(report: AccessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------------------
// Cells, derived from the compact form (what `--cells` writes out)

/** Who holds paths: a person, or a function on its own (its members' view, members or not). */
export interface ReportHolder {
  functions: string[];
  /** Time-bound memberships (a person's): function -> end. */
  until?: Record<string, string>;
  pipelines: ReportPersonPipeline[];
  transitive: ReportTransitive[];
}

/** How a path is named in evidence: the plan's pathLabel, which the report's shape fits. */
export function reportPathLabel(path: ReportPath): string {
  return pathLabel(path);
}

function rolePath(role: ReportRole): Omit<ReportFunctionPath, 'kind'> {
  return {
    function: role.function,
    group: role.group,
    role: role.role,
    roleArn: role.roleArn,
    ...(role.roleFunctions ? { roleFunctions: role.roleFunctions } : {}),
    ...(role.until !== undefined ? { until: role.until } : {}),
    ...(role.groupPolicy ? { groupPolicy: true as const } : {}),
    level: role.level,
    evidence: role.evidence,
    permissionSets: role.permissionSets,
  };
}

/**
 * Lookups over a compact report: a cell of any holder on any account in
 * time proportional to the holder's functions and pipelines, so reports,
 * explain and diff never need the people x accounts cells written out.
 */
export class ReportIndex {
  private readonly roles = new Map<string, ReportRole[]>();
  private readonly pipelineAccess = new Map<string, ReportPipelineAccess>();
  readonly accounts: string[];

  constructor(readonly report: AccessReport) {
    for (const r of report.roles) {
      const key = `${r.function}\u0000${r.account}`;
      const list = this.roles.get(key);
      if (list) list.push(r);
      else this.roles.set(key, [r]);
    }
    for (const p of report.pipelineAccess) this.pipelineAccess.set(`${p.pipeline}\u0000${p.account}`, p);
    this.accounts = report.accounts.map((a) => a.name);
  }

  /** The function's highest role on the account (not its group policies), or undefined where it is not granted. */
  role(fn: string, account: string): ReportRole | undefined {
    let best: ReportRole | undefined;
    for (const r of this.rolesAt(fn, account))
      if (!r.groupPolicy && (best === undefined || compareAccessLevel(r.level, best.level) > 0)) best = r;
    return best;
  }

  /** The function's role there, then its group's own policies (identity account): every function path it gives. */
  rolesAt(fn: string, account: string): ReportRole[] {
    return this.roles.get(`${fn}\u0000${account}`) ?? [];
  }

  pipeline(pipeline: string, account: string): ReportPipelineAccess | undefined {
    return this.pipelineAccess.get(`${pipeline}\u0000${account}`);
  }

  /** A function as a holder: its own membership and the pipelines it changes. */
  functionHolder(fn: ReportFunction): ReportHolder {
    return {
      functions: [fn.name],
      pipelines: fn.pipelines.map((pipeline) => ({ pipeline, changer: { kind: 'function', name: fn.name } })),
      transitive: fn.transitive,
    };
  }

  /** The holder's cell on the account, as schema 2 wrote it (level `none` and no paths where there is no path). */
  cell(holder: ReportHolder, account: string): ReportCellBody {
    const paths: ReportPath[] = [];
    for (const fn of holder.functions) {
      // A time-bound membership ends each of the function's paths by then (or by the grant's own end, if earlier).
      const membership = holder.until?.[fn];
      for (const role of this.rolesAt(fn, account)) {
        const path: ReportFunctionPath = { kind: 'function', ...rolePath(role) };
        if (membership !== undefined && !role.groupPolicy && (path.until === undefined || membership < path.until)) path.until = membership;
        paths.push(path);
      }
    }
    for (const p of holder.pipelines) {
      const access = this.pipeline(p.pipeline, account);
      if (access)
        paths.push({
          kind: 'pipeline',
          pipeline: p.pipeline,
          changer: { ...p.changer },
          credentials: access.credentials,
          level: access.level,
          evidence: access.evidence,
        });
    }
    for (const group of holder.transitive) {
      for (const t of group.targets) {
        if (t.account !== account) continue;
        const { account: _account, last, ...rest } = t;
        void _account;
        paths.push({ kind: 'chain', chain: [...group.via, last], ...rest });
      }
    }
    // The plan's order and composition (src/plan/access-paths.ts): the cell the matrix gives, from the compact form.
    const cell = composeCell(sortPaths(paths), (p) => p.evidence?.action);
    return { account, ...cell, evidence: cell.evidence ?? null };
  }

  /** Every account the holder reaches (at least one path), sorted by account. */
  cellsOf(holder: ReportHolder): ReportCellBody[] {
    return this.accounts.map((a) => this.cell(holder, a)).filter((c) => c.paths.length > 0);
  }

  /**
   * The rows of an evidence table: per person (byPerson), else per function,
   * where a function with members counts only its own roles (its members'
   * other paths are theirs) and without people carries its whole closure.
   */
  evidenceRows(byPerson: boolean): Array<{ who: string; cell: ReportCellBody }> {
    const report = this.report;
    if (byPerson) return report.people.flatMap((p) => this.cellsOf(p).map((cell) => ({ who: p.name, cell })));
    return report.functions.flatMap((f) =>
      this.cellsOf(report.people.length > 0 ? { functions: [f.name], pipelines: [], transitive: [] } : this.functionHolder(f)).map(
        (cell) => ({ who: f.name, cell }),
      ),
    );
  }
}

/**
 * When a cell's level holds only until some instant: every path giving that
 * level ends (a time-bound grant or membership, or a chain through one), and
 * the cell says until the last of them, then the level the paths without an
 * end give. Undefined when some path holds the level for good.
 */
export function cellUntil(cell: { level: AccessLevel; paths: ReportPath[] }): { until: string; then: AccessLevel } | undefined {
  if (cell.level === 'none') return undefined;
  let until: string | undefined;
  let then: AccessLevel = 'none';
  for (const path of cell.paths) {
    const end = 'until' in path ? path.until : undefined;
    if (end === undefined) {
      if (compareAccessLevel(path.level, then) > 0) then = path.level;
      continue;
    }
    if (path.level === cell.level && (until === undefined || end > until)) until = end;
  }
  if (until === undefined || compareAccessLevel(then, cell.level) >= 0) return undefined;
  return { until, then };
}
