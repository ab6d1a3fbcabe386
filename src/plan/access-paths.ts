/**
 * Access paths, in one place: their kinds, the order a cell lists them in,
 * how each is named (evidence, messages) and how a cell is composed from
 * its paths (its level, evidence and the names it lists). The matrix
 * (src/plan/access.ts), the report index (src/report/access-json.ts) and
 * the guardrail rule (src/checks/rules/rc501-guardrail-max-access.ts) all
 * read this module, so the three cannot disagree on which path sets a
 * cell's level.
 */
import type { AccessLevel } from '../model/schema';
import { compareAccessLevel } from '../iam/actions';
import type { AccountReach } from '../access/graph';
import type { LevelEvidence } from '../access/levels';
import type { ChainHop, ChainPath } from './access-types';

/** Every path kind, in the order a cell lists them (then by name within a kind). */
export const PATH_KINDS = ['function', 'pipeline', 'chain'] as const;
export type PathKind = (typeof PATH_KINDS)[number];

const KIND_ORDER = Object.fromEntries(PATH_KINDS.map((k, i) => [k, i])) as Record<PathKind, number>;

/** Held directly (a function's role or group policies, a pipeline's credentials); the others follow from another path. */
export function isDirectPath(path: { kind: PathKind }): boolean {
  return path.kind === 'function' || path.kind === 'pipeline';
}

/** What naming a path needs: the plan's AccessPath and the report's ReportPath both fit. */
export type NameablePath =
  { kind: 'function'; function: string } | { kind: 'pipeline'; pipeline: string } | { kind: 'chain'; chain: Array<{ label: string }> };

/** How a path is named in evidence and messages. */
export function pathLabel(path: NameablePath): string {
  switch (path.kind) {
    case 'function':
      return `function ${path.function}`;
    case 'pipeline':
      return `pipeline ${path.pipeline}`;
    case 'chain':
      return `chain ${chainText(path.chain)}`;
  }
}

/** A chain in one line: `user dave -> admin of master (iam:AttachUserPolicy) -> role operations in production (sts:AssumeRole)`. */
export function chainText(chain: ReadonlyArray<{ label: string; action?: string; via?: string }>): string {
  return chain
    .map((h) => {
      const how = [h.via ? `pipeline ${h.via}` : '', h.action && h.action !== '*' ? h.action : ''].filter((x) => x !== '').join(', ');
      return how ? `${h.label} (${how})` : h.label;
    })
    .join(' -> ');
}

/** The key a cell sorts its paths by: kind, then function or pipeline (a chain by its label). */
function pathKey(path: NameablePath): string {
  const name = path.kind === 'pipeline' ? path.pipeline : path.kind === 'chain' ? pathLabel(path) : path.function;
  return `${KIND_ORDER[path.kind]}${name}`;
}

/** Paths in a cell's order (a new array; stable within one key). */
export function sortPaths<P extends NameablePath>(paths: readonly P[]): P[] {
  const keyed = paths.map((path) => ({ path, key: pathKey(path) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.path);
}

/** True when `a` should replace `best`: strictly higher, or the same level with an earlier action. */
export function outranks(a: LevelEvidence, best: LevelEvidence): boolean {
  const byLevel = compareAccessLevel(a.level, best.level);
  return byLevel > 0 || (byLevel === 0 && (a.action ?? '') < (best.action ?? ''));
}

/** What composing a cell needs of a path: the plan's AccessPath and the report's ReportPath both fit. */
export type ComposablePath = NameablePath & { level: AccessLevel } & (
    | { kind: 'function'; role: string; groupPolicy?: boolean; permissionSets: ReadonlyArray<{ name: string }> }
    | { kind: Exclude<PathKind, 'function'> }
  );

/** A cell, composed from its paths (sorted: sortPaths). */
export interface ComposedCell<P> {
  level: AccessLevel;
  /** The action and path that set the level; absent when no path names an action. */
  evidence: { action: string; level: AccessLevel; path: string } | undefined;
  /** Functions held directly that reach the account. */
  functions: string[];
  roles: string[];
  permissionSets: string[];
  pipelines: string[];
  paths: P[];
}

/**
 * A cell from its sorted paths: the level of the first path no later one
 * outranks (ties keep the first: functions by name), with that path's
 * action as evidence; a role shared by several functions is named once,
 * group-policy paths carry no role to assume.
 */
export function composeCell<P extends ComposablePath>(paths: P[], actionOf: (path: P) => string | undefined): ComposedCell<P> {
  let best: LevelEvidence & { path?: P } = { level: 'none' };
  for (const path of paths) {
    const action = actionOf(path);
    if (outranks({ level: path.level, action }, best)) best = { level: path.level, action, path };
  }
  const functions: string[] = [];
  const roles: string[] = [];
  const sets: string[] = [];
  const pipelines: string[] = [];
  for (const path of paths as ComposablePath[]) {
    if (path.kind === 'function') {
      functions.push(path.function);
      if (!path.groupPolicy) roles.push(path.role);
      for (const s of path.permissionSets) sets.push(s.name);
    } else if (path.kind === 'pipeline') pipelines.push(path.pipeline);
  }
  return {
    level: best.level,
    evidence:
      best.action !== undefined && best.path !== undefined
        ? { action: best.action, level: best.level, path: pathLabel(best.path) }
        : undefined,
    functions: [...new Set(functions)],
    roles: [...new Set(roles)],
    permissionSets: [...new Set(sets)].sort(),
    pipelines,
    paths,
  };
}

/** A chain path from what the engine found on an account. */
export function chainPath(reach: AccountReach): ChainPath {
  const hops: ChainHop[] = reach.chain.map((h) => {
    const hop: ChainHop = { label: h.label };
    if (h.edge) {
      hop.edge = h.edge.kind;
      if (h.edge.action) hop.action = h.edge.action;
      if (h.edge.via) hop.via = h.edge.via;
    }
    return hop;
  });
  const last = reach.chain[reach.chain.length - 1];
  const roleArnOf = last?.node.startsWith('role:') ? last.node.slice('role:'.length) : undefined;
  const path: ChainPath = { kind: 'chain', chain: hops, level: reach.level };
  if (reach.action !== undefined) path.action = reach.action;
  if (roleArnOf !== undefined) {
    path.roleArn = roleArnOf;
    path.role = roleArnOf.slice(roleArnOf.lastIndexOf('/') + 1);
  }
  if (reach.undecided) path.undecided = true;
  if (reach.until !== undefined) path.until = reach.until;
  return path;
}
