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
import type { AccessMatrix, AccessPath } from '../plan/access';

export const ACCESS_REPORT_SCHEMA_VERSION = 1;

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

/** A machine principal (functions.<fn>.principals) on one account: it assumes the role without MFA. */
export interface ReportPrincipal {
  kind: 'principal';
  principal: string;
  function: string;
  account: string;
  role: string;
  roleArn: string | null;
  level: AccessLevel;
  evidence: ReportEvidence | null;
  permissionSets: ReportPermissionSet[];
}

export interface ReportPipelinePath {
  kind: 'pipeline';
  pipeline: string;
  changer: { kind: 'function'; name: string };
  level: AccessLevel;
  evidence: ReportEvidence | null;
}

export type ReportPath = ReportFunctionPath | ReportPipelinePath;

export interface ReportCell {
  person: string;
  account: string;
  level: AccessLevel;
  evidence: (ReportEvidence & { path: string }) | null;
  functions: string[];
  roles: string[];
  permissionSets: string[];
  pipelines: string[];
  paths: ReportPath[];
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
  pipelines: Array<{ name: string; accounts: string[] }>;
  /** Machine principals' access, by principal, function, account (not people: no matrix row). */
  principals: ReportPrincipal[];
  /** Only cells with at least one path; a missing person x account pair is `none`. Sorted by person, then account. */
  cells: ReportCell[];
}

function evidence(level: AccessLevel, action: string | undefined): ReportEvidence | null {
  return action === undefined ? null : { action, level };
}

function reportPath(path: AccessPath): ReportPath {
  if (path.kind === 'pipeline') {
    return { kind: 'pipeline', pipeline: path.pipeline, changer: { ...path.changer }, level: path.level, evidence: evidence(path.level, path.action) };
  }
  const out: ReportFunctionPath = {
    kind: 'function',
    function: path.function,
    group: path.group,
    role: path.role,
    roleArn: path.roleArn ?? null,
    level: path.level,
    evidence: evidence(path.level, path.action),
    permissionSets: path.permissionSets.map((s) => ({ name: s.name, level: s.level, evidence: evidence(s.level, s.action) })),
  };
  if (path.roleFunctions) out.roleFunctions = [...path.roleFunctions];
  if (path.groupPolicy) out.groupPolicy = true;
  return out;
}

export function buildAccessReport(matrix: AccessMatrix): AccessReport {
  const cells: ReportCell[] = [];
  for (const person of matrix.people) {
    for (const account of matrix.accounts) {
      const cell = matrix.cell(person.name, account.name);
      if (cell.paths.length === 0) continue;
      cells.push({
        person: cell.person,
        account: cell.account,
        level: cell.level,
        evidence: cell.evidence ? { ...cell.evidence } : null,
        functions: cell.functions,
        roles: cell.roles,
        permissionSets: cell.permissionSets,
        pipelines: cell.pipelines,
        paths: cell.paths.map(reportPath),
      });
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
      permissionSets: p.permissionSets.map((s) => ({ name: s.name, level: s.level, evidence: evidence(s.level, s.action) })),
    })),
    cells,
  };
}

/** Two-space JSON with a final newline: stable bytes for diffs and golden files. */
/** What the role column says for a function path: the role (and who shares it), or the group's own policy. */
export function roleText(path: ReportFunctionPath, noId: string): string {
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
