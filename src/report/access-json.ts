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
import type { AccessMatrix, AccessPath, CellAccess } from '../plan/access';

/** 2: the `admin` level, transitive paths (join, management), pipeline credentials, the function x account view. */
export const ACCESS_REPORT_SCHEMA_VERSION = 2;

export interface ReportEvidence {
  action: string;
  level: AccessLevel;
}

export interface ReportPermissionSet {
  name: string;
  level: AccessLevel;
  evidence: ReportEvidence | null;
}

export interface ReportFunctionPath {
  kind: 'function';
  function: string;
  group: string;
  role: string;
  roleArn: string | null;
  /** Present for a shared role: every function whose group may assume it there. */
  roleFunctions?: string[];
  /** Present (true) for the group's own policies in the identity account (identityPermissions): no role. */
  groupPolicy?: true;
  level: AccessLevel;
  evidence: ReportEvidence | null;
  permissionSets: ReportPermissionSet[];
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

/** The access a transitive path follows from. */
export interface ReportTrigger {
  account: string;
  path: string;
  action: string;
  level: AccessLevel;
}

export interface ReportJoinPath extends Omit<ReportFunctionPath, 'kind'> {
  kind: 'join';
  because: ReportTrigger;
}

export interface ReportManagementPath {
  kind: 'management';
  how: 'management-admin' | 'assume-deploy-role';
  role: string;
  roleArn: string | null;
  level: AccessLevel;
  evidence: ReportEvidence | null;
  because: ReportTrigger;
}

export type ReportPath = ReportFunctionPath | ReportPipelinePath | ReportJoinPath | ReportManagementPath;

interface ReportCellBody {
  account: string;
  level: AccessLevel;
  evidence: (ReportEvidence & { path: string }) | null;
  functions: string[];
  roles: string[];
  permissionSets: string[];
  pipelines: string[];
  joins: string[];
  management: boolean;
  paths: ReportPath[];
}

export interface ReportCell extends ReportCellBody {
  person: string;
}

export interface ReportFunctionCell extends ReportCellBody {
  function: string;
}

export interface AccessReport {
  schemaVersion: number;
  generator: 'rolecall';
  organization: string;
  levels: AccessLevel[];
  accounts: Array<{ name: string; id: string | null; data: string; environment: string; master: boolean; identity: boolean }>;
  people: Array<{
    name: string;
    displayName: string;
    functions: string[];
    pipelines: Array<{ pipeline: string; changer: { kind: 'function'; name: string } }>;
  }>;
  functions: Array<{ name: string; description: string | null; members: string[]; pipelines: string[] }>;
  pipelines: Array<{ name: string; accounts: string[] }>;
  /** Machine principals' access, by principal, function, account (not people: no matrix row). */
  principals: ReportPrincipal[];
  /** Only cells with at least one path; a missing person x account pair is `none`. Sorted by person, then account. */
  cells: ReportCell[];
  /** What each function holds on its own, members or not; same rules as `cells`. Sorted by function, then account. */
  functionCells: ReportFunctionCell[];
}

function evidence(level: AccessLevel, action: string | undefined): ReportEvidence | null {
  return action === undefined ? null : { action, level };
}

function reportPath(path: AccessPath): ReportPath {
  switch (path.kind) {
    case 'pipeline':
      return {
        kind: 'pipeline',
        pipeline: path.pipeline,
        changer: { ...path.changer },
        credentials: { kind: path.credentials.kind, role: path.credentials.role ?? null, roleArn: path.credentials.roleArn ?? null },
        level: path.level,
        evidence: evidence(path.level, path.action),
      };
    case 'management':
      return {
        kind: 'management',
        how: path.how,
        role: path.role,
        roleArn: path.roleArn ?? null,
        level: path.level,
        evidence: evidence(path.level, path.action),
        because: { ...path.because },
      };
    case 'function':
    case 'join': {
      const body = {
        function: path.function,
        group: path.group,
        role: path.role,
        roleArn: path.roleArn ?? null,
        level: path.level,
        evidence: evidence(path.level, path.action),
        permissionSets: path.permissionSets.map((s) => ({ name: s.name, level: s.level, evidence: evidence(s.level, s.action) })),
        ...(path.roleFunctions ? { roleFunctions: [...path.roleFunctions] } : {}),
        ...(path.groupPolicy ? { groupPolicy: true as const } : {}),
      };
      return path.kind === 'function' ? { kind: 'function', ...body } : { kind: 'join', ...body, because: { ...path.because } };
    }
  }
}

function cellBody(cell: CellAccess): ReportCellBody {
  return {
    account: cell.account,
    level: cell.level,
    evidence: cell.evidence ? { ...cell.evidence } : null,
    functions: cell.functions,
    roles: cell.roles,
    permissionSets: cell.permissionSets,
    pipelines: cell.pipelines,
    joins: cell.joins,
    management: cell.management,
    paths: cell.paths.map(reportPath),
  };
}

export function buildAccessReport(matrix: AccessMatrix): AccessReport {
  const cells: ReportCell[] = [];
  for (const person of matrix.people) {
    for (const account of matrix.accounts) {
      const cell = matrix.cell(person.name, account.name);
      if (cell.paths.length === 0) continue;
      cells.push({ person: cell.person, ...cellBody(cell) });
    }
  }
  const functionCells: ReportFunctionCell[] = [];
  for (const fn of matrix.functions) {
    for (const account of matrix.accounts) {
      const cell = matrix.functionCell(fn.name, account.name);
      if (cell.paths.length === 0) continue;
      functionCells.push({ function: cell.function, ...cellBody(cell) });
    }
  }
  return {
    schemaVersion: ACCESS_REPORT_SCHEMA_VERSION,
    generator: 'rolecall',
    organization: matrix.organization,
    levels: [...ACCESS_LEVELS],
    accounts: matrix.accounts.map((a) => ({ name: a.name, id: a.id ?? null, data: a.data, environment: a.environment, master: a.master, identity: a.identity })),
    people: matrix.people.map((p) => ({
      name: p.name,
      displayName: p.displayName,
      functions: p.functions,
      pipelines: p.pipelines.map((x) => ({ pipeline: x.pipeline, changer: { ...x.changer } })),
    })),
    functions: matrix.functions.map((f) => ({ name: f.name, description: f.description ?? null, members: f.members, pipelines: f.pipelines })),
    pipelines: matrix.pipelines.map((name) => ({ name, accounts: matrix.pipelineAccounts(name) })),
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
    cells,
    functionCells,
  };
}

/** Two-space JSON with a final newline: stable bytes for diffs and golden files. */
/** What the role column says for a function or join path: the role (and who shares it), or the group's own policies. */
export function roleText(path: Pick<ReportFunctionPath, 'group' | 'role' | 'roleArn' | 'roleFunctions' | 'groupPolicy'>, noId: string): string {
  if (path.groupPolicy) return `group ${path.group}'s own policies (identityPermissions)`;
  const role = path.roleArn ?? `${path.role} (${noId})`;
  return path.roleFunctions ? `${role} (shared by ${path.roleFunctions.join(', ')})` : role;
}

export function renderAccessJson(report: AccessReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** `person account` -> cell; a missing key means `none` (no path). */
export function cellIndex(report: AccessReport): Map<string, ReportCell> {
  return new Map(report.cells.map((c) => [`${c.person} ${c.account}`, c]));
}

/** `function account` -> the function's own cell; a missing key means `none`. */
export function functionCellIndex(report: AccessReport): Map<string, ReportFunctionCell> {
  return new Map(report.functionCells.map((c) => [`${c.function} ${c.account}`, c]));
}
