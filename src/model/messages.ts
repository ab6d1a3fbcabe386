/**
 * Every user-facing message text, in one place, so wording stays consistent
 * and tests can pin it. Each function returns the parts of a Diagnostic that
 * are words: what is wrong, what was expected, how to fix it.
 */

import { compareAccessLevel } from '../iam/actions';
import type { AccessLevel } from './schema';

export interface Message {
  /** The diagnostic's stable code (RC + 3 digits), listed in docs/diagnostics.md; never reused. */
  code: string;
  message: string;
  expected?: string;
  fix?: string;
}

// ---------------------------------------------------------------------------
// Suggestions

// editDistance, closest and didYouMean live in ./suggest (the CLI's argument parser needs them
// without loading this module's imports: `help` must start at once).
import { closest, didYouMean } from './suggest';
export { closest, didYouMean, editDistance } from './suggest';

/** `a, b, c` or, for long lists, `a, b, c, ... (12 more)`. */
export function listNames(names: readonly string[], max = 12): string {
  if (names.length === 0) return '(none)';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, ... (${names.length - max} more)`;
}

/** How a value's type is named in "got ..." texts. */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'a map';
    default:
      return typeof value;
  }
}

/** A value quoted for a message: strings in quotes, the rest as YAML would print them. */
export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === null || value === undefined ? 'nothing' : JSON.stringify(value);
}

// ---------------------------------------------------------------------------
// Reading the file

export function fileNotReadable(file: string, reason: string): Message {
  return {
    code: 'RC001',
    message: `cannot read the org file ${file}: ${reason}`,
    fix: 'check the path, or pass --config FILE',
  };
}

export function notText(file: string, what: string): Message {
  return {
    code: 'RC002',
    message: `${file} is not a text file (${what}), so not an org file; nothing was checked`,
  };
}

export function emptyFile(): Message {
  return {
    code: 'RC004',
    message: 'the file is empty',
    expected: 'an org file: version, organization, accounts, ...',
  };
}

export function yamlSyntax(text: string): Message {
  return {
    code: 'RC005',
    message: `YAML syntax error: ${text.replace(/\s+/g, ' ').trim()}`,
  };
}

export function duplicateKey(key: string, firstLine: number | undefined): Message {
  return {
    code: 'RC006',
    message: `duplicate key "${key}"`,
    fix: firstLine === undefined ? 'keep only one of them' : `keep only one of them; the first "${key}" is on line ${firstLine}`,
  };
}

export function multipleDocuments(): Message {
  return {
    code: 'RC007',
    message: 'the file holds more than one YAML document',
    expected: 'a single YAML document',
    fix: 'remove the "---" separator and merge the documents',
  };
}

export function yamlNotConvertible(reason: string): Message {
  return {
    code: 'RC008',
    message: `the YAML cannot be read as data: ${reason}`,
  };
}

// ---------------------------------------------------------------------------
// Shape (schema) errors

/** A schema issue with no sentence of its own (zod's words): should not happen, but must carry a code. */
export function schemaIssue(text: string): Message {
  return { code: 'RC114', message: text };
}

export function unknownKey(key: string, allowed: readonly string[]): Message {
  if (/^not_?actions?$/i.test(key)) {
    return {
      code: 'RC101',
      message: `unknown key "${key}": NotAction is not supported`,
      expected: `one of ${listNames(allowed)}`,
      fix: 'list the allowed actions in `actions`, or add a Deny statement',
    };
  }
  return {
    code: 'RC101',
    message: `unknown key "${key}"`,
    expected: `one of ${listNames(allowed)}`,
    fix: didYouMean(key, allowed),
  };
}

export function missingKey(key: string, expected: string): Message {
  return {
    code: 'RC102',
    message: `missing key "${key}"`,
    expected,
  };
}

/** `fix` for a value of the wrong type, when one is obvious. */
function typeFix(expected: string, value: unknown, quotable: string | undefined): string | undefined {
  if (quotable !== undefined) return `quote it: "${quotable}"`;
  // YAML 1.2 reads yes/no/on/off as strings, unlike YAML 1.1.
  if (expected === 'true or false' && typeof value === 'string' && /^(yes|no|on|off|y|n|true|false)$/i.test(value)) {
    return `write ${/^(yes|on|y|true)$/i.test(value) ? 'true' : 'false'} (unquoted)`;
  }
  if (expected === 'a list' && (typeof value === 'string' || typeof value === 'number')) return `write it as a list: [${String(value)}]`;
  return undefined;
}

/** `quotable`: the value's source text, when quoting it would make it valid. */
export function wrongType(expected: string, value: unknown, quotable?: string): Message {
  return {
    code: 'RC103',
    message: `expected ${expected}, got ${describeType(value)}`,
    fix: typeFix(expected, value, quotable),
  };
}

export function invalidChoice(value: unknown, allowed: readonly unknown[]): Message {
  const names = allowed.map(String);
  return {
    code: 'RC104',
    message: `invalid value ${show(value)}`,
    expected: `one of ${listNames(names)}`,
    fix: typeof value === 'string' ? didYouMean(value, names) : undefined,
  };
}

export function unsupportedVersion(value: unknown, supported: unknown): Message {
  return {
    code: 'RC105',
    message: `unsupported version ${show(value)}`,
    expected: `version: ${String(supported)}`,
  };
}

export function invalidFormat(value: unknown, expected: string): Message {
  return {
    code: 'RC106',
    message: `invalid value ${show(value)}`,
    expected,
  };
}

export function emptyList(): Message {
  return {
    code: 'RC107',
    message: 'the list is empty',
    expected: 'at least one item',
  };
}

export function emptyString(): Message {
  return {
    code: 'RC108',
    message: 'the value is empty',
    expected: 'a non-empty string',
  };
}

export function outOfBounds(value: unknown, expected: string): Message {
  return {
    code: 'RC109',
    message: `invalid value ${show(value)}`,
    expected,
  };
}

export const SELECTOR_FORMS =
  '"*" (every account but the master and identity accounts), a list of account names, or a map of ou, data, environment and tags that must all match, with optional except: [names]';

export function invalidSelector(value: unknown): Message {
  const fix = typeof value === 'string' ? `for one account write [${value}]` : undefined;
  return {
    code: 'RC110',
    message: `invalid account selector: got ${typeof value === 'string' ? `the string ${show(value)}` : describeType(value)}`,
    expected: SELECTOR_FORMS,
    fix,
  };
}

export function invalidAccess(value: unknown): Message {
  return {
    code: 'RC111',
    message: `invalid access: got ${describeType(value)}`,
    expected:
      'a map of account name to permission set(s), e.g. { production: admin }, or a list of grants, e.g. [{ accounts: "*", permissions: logs-read }]',
  };
}

export function invalidNameOrList(what: string, value: unknown): Message {
  return {
    code: 'RC112',
    message: `expected ${what} or a list of them, got ${describeType(value)}`,
  };
}

export function invalidUnion(forms: readonly string[], value: unknown): Message {
  return {
    code: 'RC113',
    message: `expected ${forms.slice(0, -1).join(', ')}${forms.length > 1 ? ' or ' : ''}${forms[forms.length - 1]}, got ${describeType(value)}`,
  };
}

// ---------------------------------------------------------------------------
// Names and references

export function invalidName(kind: string, name: string, expected: string): Message {
  const lowered = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return {
    code: 'RC120',
    message: `invalid ${kind} name "${name}"`,
    expected,
    fix: lowered !== name && /^[a-z]/.test(lowered) ? `did you mean "${lowered}"?` : undefined,
  };
}

export function nameTooLong(kind: string, name: string, max: number, why: string): Message {
  return {
    code: 'RC121',
    message: `${kind} name "${name}" is ${name.length} characters long`,
    expected: `at most ${max} characters (${why})`,
  };
}

/** `unknown account "prodution"`, listing what exists and suggesting the closest. */
/** One code per kind of reference, so a filter on "unknown function" is possible. */
const UNKNOWN_REFERENCE_CODES: Record<string, string> = {
  account: 'RC201',
  function: 'RC202',
  'permission set': 'RC203',
  person: 'RC204',
  group: 'RC205',
};

export function unknownReference(kind: string, name: string, known: readonly string[], section: string): Message {
  return {
    code: UNKNOWN_REFERENCE_CODES[kind] ?? 'RC209',
    message: `unknown ${kind} "${name}"`,
    expected: `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} name from \`${section}\` (${listNames([...known].sort())})`,
    fix: didYouMean(name, known),
  };
}

export function starInNameList(): Message {
  return {
    code: 'RC210',
    message: '"*" inside a list is not an account name',
    fix: 'write accounts: "*" (not in a list) for every account but the master and identity accounts',
  };
}

export function duplicateInList(kind: string, name: string): Message {
  return {
    code: 'RC211',
    message: `${kind} "${name}" is listed twice`,
    fix: 'remove the repetition',
  };
}

// ---------------------------------------------------------------------------
// Organization and accounts

export function masterNeedsId(master: string): Message {
  return {
    code: 'RC301',
    message: `the master account "${master}" has no id`,
    expected: 'the 12-digit id of the account that holds the people, as a quoted string',
  };
}

export function identityNeedsId(identity: string): Message {
  return {
    code: 'RC302',
    message: `the identity account "${identity}" has no id`,
    expected:
      'the 12-digit id of the account that holds the people, as a quoted string (people cannot live in an account that does not exist yet)',
  };
}

export function manageNeeds(key: 'id' | 'rootId'): Message {
  const example = key === 'id' ? 'o-abc123defg' : 'r-ab12';
  return {
    code: 'RC303',
    message: `organization.manage is true, but organization.${key} is missing`,
    expected: `organization.${key}, e.g. ${example} (rolecall never creates the organization, it only reads its ids from the file)`,
  };
}

export function accountNeedsIdOrEmail(name: string): Message {
  return {
    code: 'RC304',
    message: `account "${name}" has neither id nor email`,
    expected: 'id: its 12-digit account id, or email: to have the organization stack create it',
  };
}

export function accountWithoutId(name: string, manage: boolean): Message {
  return {
    code: 'RC305',
    message: `account ${name} has no id yet: no account stack until its id is written into the file`,
    fix: manage
      ? 'apply the organization stack, then write the new account id here'
      : 'set organization.manage: true so the organization stack creates it, or write its id here',
  };
}

export function duplicateAccountValue(what: 'id' | 'email', value: string, other: string): Message {
  return {
    code: 'RC306',
    message: `account ${what} ${show(value)} is also used by account "${other}"`,
    expected: `a distinct ${what} per account`,
  };
}

export function unknownService(prefix: string, known: readonly string[]): Message {
  return {
    code: 'RC307',
    message: `unknown AWS service prefix "${prefix}"`,
    expected: 'an IAM service prefix such as s3, ec2 or logs',
    fix: didYouMean(prefix, known),
  };
}

export function servicesOnMaster(master: string): Message {
  return {
    code: 'RC308',
    message: `services has no effect on the master account "${master}"`,
    expected: 'no services key here: service control policies never apply to the management account',
  };
}

// ---------------------------------------------------------------------------
// Permission sets and IAM

export function invalidActionSyntax(action: string): Message {
  return {
    code: 'RC150',
    message: `invalid IAM action "${action}"`,
    expected: 'service:Action, e.g. s3:GetObject, a pattern such as s3:Get*, or "*"',
  };
}

export function unknownActionService(action: string, service: string, known: readonly string[]): Message {
  const match = closest(service, known);
  return {
    code: 'RC151',
    message: `unknown IAM action "${action}": there is no service "${service}"`,
    expected: 'service:Action with a known IAM service prefix, e.g. s3:GetObject',
    fix: match === undefined ? undefined : `did you mean "${match}:${action.slice(service.length + 1)}"?`,
  };
}

export function unknownAction(action: string, known: readonly string[]): Message {
  return {
    code: 'RC152',
    message: `unknown IAM action "${action}"`,
    expected: 'an action from the IAM action catalog',
    fix: didYouMean(action, known),
  };
}

export function patternMatchesNothing(pattern: string): Message {
  return {
    code: 'RC153',
    message: `IAM action pattern "${pattern}" matches no known action`,
    expected: 'a pattern that matches at least one action, e.g. s3:Get*',
  };
}

export function unknownManagedPolicy(ref: string, suggestion: string | undefined): Message {
  return {
    code: 'RC154',
    message: `unknown AWS managed policy "${ref}"`,
    expected: 'a managed policy name (AdministratorAccess), path/name (job-function/NetworkAdministrator) or ARN',
    fix: suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
  };
}

export function duplicateManagedPolicy(ref: string, arn: string): Message {
  return {
    code: 'RC155',
    message: `managed policy "${ref}" is listed twice${ref === arn ? '' : ` (${arn})`}`,
    fix: 'remove the repetition',
  };
}

// ---------------------------------------------------------------------------
// Functions

export function durationOutOfRange(key: string, value: string, min: string, max: string, why: string): Message {
  return {
    code: 'RC124',
    message: `${key} ${value} is out of range`,
    expected: `between ${min} and ${max} (${why})`,
  };
}

export function functionGrantsNothing(fn: string): Message {
  return {
    code: 'RC221',
    message: `function "${fn}" grants no access`,
    expected: 'at least one account in access',
  };
}

export function emptySelector(): Message {
  return {
    code: 'RC212',
    message: 'an empty selector map names no key to match',
    expected: SELECTOR_FORMS,
    fix: 'write "*" for every account but the master and identity accounts, or name the accounts',
  };
}

export function selectorMatchesNothing(selector: string, fix?: string): Message {
  return {
    code: 'RC213',
    message: `selector ${selector} matches no account`,
    expected: 'a selector matching at least one account',
    fix,
  };
}

export function starMatchesNothing(): Message {
  return {
    code: 'RC214',
    message: 'selector "*" matches no account: it means every account except the master and identity accounts, and there is none',
    expected: 'a selector matching at least one account',
  };
}

// ---------------------------------------------------------------------------
// Access truth: reserved accounts, unused entries (issue 8)

/** A notice: `"*"` or a selector object would have matched the master or identity account. */
export function selectorSkipsReserved(selector: string, account: string, role: 'master' | 'identity'): Message {
  const what = role === 'master' ? 'the master (management) account' : 'the identity account, where people live';
  return {
    code: 'RC215',
    message: `selector ${selector} leaves out ${account}, ${what}: "*" and selector objects never select it`,
    fix: `name it (accounts: [${account}]) to grant it on purpose, or add except: [${account}] to say it is left out`,
  };
}

export function functionWithoutMembers(fn: string): Message {
  return {
    code: 'RC216',
    message: `function "${fn}" has no members: its roles exist, but no person can assume them`,
    fix: `add ${fn} to a person's functions, or remove the function; \`npx rolecall access\` still shows what it holds`,
  };
}

export function unusedPermissionSet(set: string): Message {
  return {
    code: 'RC217',
    message: `permission set "${set}" is granted by no function`,
    fix: "grant it in a function's access, or remove it",
  };
}

export function guardrailSelectsNobodyYet(name: string, functions: readonly string[]): Message {
  return {
    code: 'RC218',
    message: `guardrail "${name}" selects nobody today: ${functions.length > 0 ? `function${functions.length > 1 ? 's' : ''} ${functions.join(', ')} ${functions.length > 1 ? 'have' : 'has'} no members` : 'it names no function'} and it names no person`,
    fix: 'it still bounds the functions it names; check that the functions and people are the ones you meant',
  };
}

// ---------------------------------------------------------------------------
// Real organisations: shared roles, identity account, machine principals,
// custom SCPs, aliases, password policy (issue 11)

/** `3600` -> `1h`, `5400` -> `90m`: durations as the file writes them. */
function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** `functions.developers.access[2]`, for pointing from one entry to another. */
function keyPathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function twoRolesOneAccount(
  fn: string,
  account: string,
  first: string,
  second: string,
  firstPath: readonly (string | number)[],
): Message {
  return {
    code: 'RC223',
    message: `function "${fn}" reaches account ${account} through role "${second}" here and role "${first}" at ${keyPathText(firstPath)}`,
    expected: 'one role per function and account',
    fix: `name the same role in both entries, or move one grant to another function`,
  };
}

export function twoSessionLengths(
  fn: string,
  account: string,
  first: number,
  second: number,
  firstPath: readonly (string | number)[],
): Message {
  return {
    code: 'RC224',
    message: `function "${fn}" gives its role on account ${account} a session length of ${formatSeconds(second)} here and ${formatSeconds(first)} at ${keyPathText(firstPath)}`,
    expected: 'one session length per role',
    fix: 'write the same sessionDuration on both entries',
  };
}

export function invalidRoleName(role: string): Message {
  return {
    code: 'RC131',
    message: `invalid role name "${role}"`,
    expected: 'an IAM role name: 1 to 64 letters, digits and + = , . @ _ -',
  };
}

export function roleIsDeployRole(role: string): Message {
  return {
    code: 'RC612',
    message: `role name "${role}" is the deploy role's name (deploy.assumeRoleName) or one AWS or rolecall gives its own roles and groups`,
    expected: 'a role name rolecall can own exclusively',
    fix: 'choose another role name',
  };
}

export function roleNamesClash(account: string, first: string, second: string): Message {
  return {
    code: 'RC227',
    message: `roles "${first}" and "${second}" on account ${account} are one name to IAM (role names are case-insensitive)`,
    expected: 'role names that differ in more than case and punctuation',
    fix: `write "${first}" in both places to share one role, or rename one`,
  };
}

export function sharedRoleDiffers(
  role: string,
  account: string,
  fn: string,
  sets: readonly string[],
  other: string,
  otherSets: readonly string[],
  otherPath: readonly (string | number)[],
): Message {
  return {
    code: 'RC225',
    message: `role "${role}" on account ${account} gets permission sets [${sets.join(', ')}] from function ${fn}, but [${otherSets.join(', ')}] from function ${other} (${keyPathText(otherPath)})`,
    expected: 'the same permission sets from every function naming a shared role',
    fix: `give both functions the same permission sets on ${account}, or name different roles`,
  };
}

export function sharedRoleSessionDiffers(
  role: string,
  account: string,
  fn: string,
  seconds: number,
  other: string,
  otherSeconds: number,
): Message {
  return {
    code: 'RC226',
    message: `role "${role}" on account ${account} gets a session length of ${formatSeconds(seconds)} from function ${fn}, but ${formatSeconds(otherSeconds)} from function ${other}`,
    expected: 'one session length per shared role',
    fix: 'write the same sessionDuration on both access entries',
  };
}

export function invalidPrincipal(arn: string): Message {
  return {
    code: 'RC132',
    message: `principal ${show(arn)} is not an IAM role or account root ARN`,
    expected:
      'arn:aws:iam::123456789012:role/NAME (any path) or arn:aws:iam::123456789012:root; IAM users are not accepted (their long-term keys carry no MFA)',
  };
}

export function principalWildcard(arn: string): Message {
  return {
    code: 'RC133',
    message: `principal ${show(arn)} contains a wildcard`,
    expected: 'one explicit principal ARN per entry: a role trusts nothing without MFA unless the file names it exactly',
  };
}

export function principalIsIdentityRoot(arn: string, identity: string): Message {
  return {
    code: 'RC228',
    message: `principal ${arn} is the identity account ${identity} itself`,
    expected: "a principal outside the people's account: trusting its root without MFA would let every person in without MFA",
    fix: 'name the specific role that should assume (e.g. a CI role), not the account',
  };
}

export function servicesOnIdentity(identity: string): Message {
  return {
    code: 'RC325',
    message: `services on the identity account "${identity}" would deny the IAM users, groups and policies its stack creates`,
    expected: 'no services key on the account that holds the people',
  };
}

export function invalidAlias(alias: string): Message {
  return {
    code: 'RC136',
    message: `invalid account alias ${show(alias)}`,
    expected:
      'an IAM account alias: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, not a 12-digit number',
  };
}

export function duplicateAlias(alias: string, other: string): Message {
  return {
    code: 'RC326',
    message: `account alias "${alias}" is also used by account "${other}"`,
    expected: 'a distinct alias per account (aliases are unique across AWS)',
  };
}

export function aliasWithoutId(name: string): Message {
  return {
    code: 'RC327',
    message: `account ${name} has an alias but no id yet: the alias is set once its id is written into the file`,
  };
}

export function passwordPolicyOutOfRange(key: string, value: number, min: number, max: number): Message {
  return {
    code: 'RC134',
    message: `${key} ${value} is out of range`,
    expected: `a whole number from ${min} to ${max} (AWS's bounds)`,
  };
}

export function weakPasswordLength(length: number): Message {
  return {
    code: 'RC135',
    message: `organization.passwordPolicy.minimumLength ${length} is below rolecall's default of 14 (CIS AWS Foundations asks for at least 14)`,
  };
}

export function scpsWithoutManage(): Message {
  return {
    code: 'RC328',
    message: 'scps are emitted by the organization stack only, and organization.manage is false: they have no effect',
    fix: 'set organization.manage: true, or remove scps',
  };
}

export function scpOnMaster(scp: string, master: string): Message {
  return {
    code: 'RC329',
    message: `SCP "${scp}" selects the management account "${master}"`,
    expected: 'member accounts only: service control policies never apply to the management account',
    fix: `leave ${master} out of scps.${scp}.accounts`,
  };
}

export function scpStatementActions(): Message {
  return {
    code: 'RC137',
    message: 'an SCP statement needs exactly one of actions and notActions',
    expected: 'actions: [...] or notActions: [...]',
  };
}

export function policyNameOverQuota(policy: string, max: number): Message {
  return {
    code: 'RC409',
    message: `policy name "${policy}" is ${policy.length} characters long`,
    expected: `at most ${max} characters (IAM)`,
    fix: 'shorten the function or permission set name',
  };
}

export function scpStatementResources(): Message {
  return {
    code: 'RC138',
    message: 'an SCP statement takes resources or notResources, not both',
    expected: 'resources: [...] or notResources: [...]',
  };
}

// ---------------------------------------------------------------------------
// People

export function invalidUserName(name: string): Message {
  return {
    code: 'RC122',
    message: `invalid IAM user name "${name}"`,
    expected: 'letters, digits and + = , . @ _ - only, at most 64 characters',
  };
}

export function tooManyFunctions(person: string, count: number, max: number): Message {
  return {
    code: 'RC407',
    message: `${person} is in ${count} functions, but at most ${max} are possible: IAM allows ${max + 1} groups per user and every person is also in the generated RequireMFA group`,
    fix: "merge functions, or split the person's duties",
  };
}

export function needsPgpKey(what: 'console' | 'accessKey'): Message {
  return what === 'console'
    ? {
        code: 'RC130',
        message: 'console password needs pgpKey, so it is never stored in plain text',
        expected: 'pgpKey: keybase:<user> or a base64 PGP public key',
      }
    : {
        code: 'RC130',
        message: 'access key needs pgpKey, so its secret is never stored in plain text',
        expected: 'pgpKey: keybase:<user> or a base64 PGP public key',
      };
}

// ---------------------------------------------------------------------------
// Guardrails, pipelines, deploy

export function guardrailSelectsNobody(name: string): Message {
  return {
    code: 'RC219',
    message: `guardrail "${name}" selects nobody`,
    expected: 'functions, people or both',
  };
}

export function duplicateGuardrail(name: string): Message {
  return {
    code: 'RC220',
    message: `guardrail name "${name}" is used twice`,
    expected: 'a distinct name per guardrail (errors name the guardrail)',
  };
}

// ---------------------------------------------------------------------------
// Deploy: backends, credentials, workspaces, adoption (issue 10)

export function deployNeedsSection(backend: 's3' | 'cloud'): Message {
  return backend === 's3'
    ? {
        code: 'RC601',
        message: 'deploy.backend is s3, but deploy.s3 is missing',
        expected: 'deploy.s3: { bucket: <state bucket>, region: <its region>, keyPrefix: rolecall/ }',
        fix: 'add deploy.s3, or use backend: local',
      }
    : {
        code: 'RC601',
        message: 'deploy.backend is cloud, but deploy.cloud is missing',
        expected: 'deploy.cloud: { organization: <HCP Terraform organization>, project: <project>, workspacePrefix: rolecall- }',
        fix: 'add deploy.cloud, or use backend: local',
      };
}

export function cloudNeedsProject(): Message {
  return {
    code: 'RC602',
    message: 'deploy.cloud.project is missing: with backend cloud every workspace is placed in a named project',
    expected: 'project: the HCP Terraform project of the workspaces, e.g. aws-iam',
    fix: 'the project is part of the identity token HCP Terraform presents to AWS (organization:ORG:project:PROJECT:workspace:...), so the plan and apply roles can only trust a named one',
  };
}

export function dynamicNeedsCloud(backend: string): Message {
  return {
    code: 'RC603',
    message: `deploy.credentials tfc-dynamic needs backend cloud, but backend is ${backend}`,
    expected: 'backend: cloud (HCP Terraform runs the plan and apply and presents its identity token to AWS)',
    fix: 'set backend: cloud with deploy.cloud, or use credentials: assume-role or environment',
  };
}

export function stateAccountNeedsId(account: string): Message {
  return {
    code: 'RC604',
    message: `the state bucket's account "${account}" has no id yet`,
    expected: 'an account with an id: the bootstrap stack creates the bucket there',
    fix: 'write the account id into the file, or leave deploy.s3.account out (the master account)',
  };
}

export function deployNameTooLong(what: string, name: string, limit: number, fix: string): Message {
  return {
    code: 'RC605',
    message: `${what} "${name}" would be ${name.length} characters, over the limit of ${limit}`,
    expected: `at most ${limit} characters`,
    fix,
  };
}

export function adoptRoleNotGranted(fn: string, account: string, granted: readonly string[]): Message {
  return {
    code: 'RC607',
    message: `function "${fn}" has no role in account "${account}" to adopt`,
    expected: `an account where ${fn} is granted and that has an id (${listNames(granted)})`,
    fix: didYouMean(account, granted) ?? `grant ${fn} on ${account} first, or remove it from the list`,
  };
}

export function adoptDuplicate(kind: string, name: string): Message {
  return {
    code: 'RC608',
    message: `${kind} "${name}" is listed twice`,
    expected: 'each name once',
  };
}

/** Notice: what `deploy.adopt` will import, so the reviewer knows nothing is deleted and recreated. */
export function adoptUserNotice(
  user: string,
  account: string,
  stack: string,
  console: boolean,
  accessKey: boolean,
  accessKeyId?: string,
): Message {
  const parts = [
    `the existing IAM user ${user} in ${account} is imported into stack ${stack} instead of being created: its MFA devices, password and access keys stay`,
  ];
  if (console)
    parts.push(
      'its console password (login profile) is imported too, not reset (the user must have one; for a user without, set console: false until adopted)',
    );
  if (accessKey && accessKeyId !== undefined) parts.push(`its access key ${accessKeyId} (accessKeyId) is imported too, not replaced`);
  else if (accessKey)
    parts.push(
      'access keys it already has are kept; accessKey: true creates one more (IAM allows two per user), so set accessKey: false to keep only the existing ones',
    );
  return {
    code: 'RC609',
    message: parts.join('; '),
  };
}

export function adoptGroupNotice(group: string, account: string, stack: string): Message {
  return {
    code: 'RC610',
    message: `the existing IAM group ${group} in ${account} is imported into stack ${stack} instead of being created: members added by hand stay until removed there`,
  };
}

export function adoptRoleNotice(role: string, account: string, stack: string): Message {
  return {
    code: 'RC611',
    message: `the existing IAM role ${role} in ${account} is imported into stack ${stack} instead of being created: the first apply replaces its trust policy, description and session duration with the file's, in place (same role id, resource policies naming it keep working)`,
  };
}

// ---------------------------------------------------------------------------
// Quotas (raised by the plan layer)

export function quotaExceeded(code: string, what: string, size: number, limit: number, fix: string): Message {
  return { code, message: `${what}: ${size}, over the IAM quota of ${limit}`, expected: `at most ${limit}`, fix };
}

export function iamPathOverQuota(size: number, limit: number): Message {
  return quotaExceeded('RC401', 'IAM path', size, limit, 'use a shorter path');
}

/** A function's group needs more managed policies (of `policyChars` each) for its assume-role ARNs than IAM allows. */
export function groupPoliciesOverQuota(group: string, count: number, policyChars: number, limit: number): Message {
  return quotaExceeded(
    'RC402',
    `policies attached to group "${group}" (its assume-role ARNs fill ${count} policies of ${policyChars} characters)`,
    count,
    limit,
    'grant the function in fewer accounts, or split it into two functions',
  );
}

export function groupPolicyOverQuota(policy: string, size: number, limit: number): Message {
  return quotaExceeded('RC403', `policy "${policy}"`, size, limit, 'this is a rolecall bug: please report it');
}

export function trustPolicyOverQuota(role: string, size: number, limit: number): Message {
  return quotaExceeded('RC404', `trust policy of role "${role}"`, size, limit, 'this is a rolecall bug: please report it');
}

export function managedPoliciesOverQuota(role: string, account: string, count: number, limit: number): Message {
  return quotaExceeded(
    'RC405',
    `AWS managed policies on role "${role}" in account "${account}"`,
    count,
    limit,
    'grant fewer permission sets with `managed` policies in this account, or merge them',
  );
}

/** `permissionSets`: the keys of the role's inline policies, in order. */
export function inlinePoliciesOverQuota(
  role: string,
  account: string,
  permissionSets: readonly string[],
  size: number,
  limit: number,
): Message {
  return quotaExceeded(
    'RC406',
    `inline policies of role "${role}" in account "${account}" (permission sets ${permissionSets.join(', ')})`,
    size,
    limit,
    'shorten the statements (wildcards, fewer resources) or use AWS managed policies',
  );
}

// ---------------------------------------------------------------------------
// Organization stack (SPEC section 4; raised by the plan layer)

/** The AWS Organizations limits an OU path message quotes (the plan's ORGANIZATIONS_QUOTAS fits). */
export interface OuPathLimits {
  ouNameChars: number;
  ouDepth: number;
}

function ouPathExpected(limits: OuPathLimits): string {
  return `an OU path such as Workloads/Production: names of 1-${limits.ouNameChars} letters, digits, spaces and . _ & + ( ) -, separated by "/", at most ${limits.ouDepth} levels`;
}

/** `suggestion`: the path without its leading and trailing "/" (empty: no suggestion). */
export function ouPathEdgeSlash(path: string, suggestion: string, limits: OuPathLimits): Message {
  return {
    code: 'RC310',
    message: `invalid OU path ${JSON.stringify(path)}: it starts or ends with "/"`,
    expected: ouPathExpected(limits),
    fix: suggestion ? `did you mean "${suggestion}"?` : undefined,
  };
}

/** `suggestion`: the path without its empty OU names (empty: no suggestion). */
export function ouPathEmptyName(path: string, suggestion: string, limits: OuPathLimits): Message {
  return {
    code: 'RC311',
    message: `invalid OU path ${JSON.stringify(path)}: it has an empty OU name`,
    expected: ouPathExpected(limits),
    fix: suggestion ? `did you mean "${suggestion}"?` : undefined,
  };
}

export function ouNameTooLong(name: string, limits: OuPathLimits): Message {
  return {
    code: 'RC312',
    message: `invalid OU path: the OU name "${name.slice(0, 20)}..." is ${name.length} characters long`,
    expected: ouPathExpected(limits),
  };
}

export function ouNameBadCharacters(path: string, name: string, limits: OuPathLimits): Message {
  return {
    code: 'RC313',
    message: `invalid OU path ${JSON.stringify(path)}: the OU name ${JSON.stringify(name)} has characters rolecall does not accept`,
    expected: ouPathExpected(limits),
  };
}

export function ouPathTooDeep(path: string, depth: number, limits: OuPathLimits): Message {
  return {
    code: 'RC314',
    message: `invalid OU path ${JSON.stringify(path)}: ${depth} levels deep`,
    expected: ouPathExpected(limits),
  };
}

export function masterInOu(master: string): Message {
  return {
    code: 'RC315',
    message: `rolecall does not place the management account "${master}" in an OU`,
    expected: 'no ou on the master account: the organization stack manages member accounts only',
    fix: 'remove this ou, or move the management account by hand',
  };
}

export function adoptedAccountNeedsEmail(name: string): Message {
  return {
    code: 'RC316',
    message: `account "${name}" has no email, which the organization stack needs to adopt it`,
    expected: "email: the account's root email address (aws_organizations_account requires it; rolecall never changes it)",
  };
}

export function accountNameTooLongToCreate(name: string, max: number): Message {
  return {
    code: 'RC317',
    message: `account name "${name}" is ${name.length} characters long, too long to create the account`,
    expected: `at most ${max} characters (AWS account names)`,
  };
}

/** `rolecallBug`: the policy is rolecall's own (the member baseline), so the file cannot fix it. */
export function scpOverQuota(policy: string, size: number, limit: number, rolecallBug: boolean): Message {
  return {
    code: 'RC320',
    message: `service control policy "${policy}": ${size} characters, over the AWS Organizations quota of ${limit}`,
    expected: `at most ${limit} characters`,
    fix: rolecallBug ? 'this is a rolecall bug: please report it' : 'list fewer services',
  };
}

export function scpNameTooLong(policy: string, max: number): Message {
  return {
    code: 'RC321',
    message: `service control policy name "${policy}" is ${policy.length} characters long`,
    expected: `at most ${max} characters`,
    fix: 'use a shorter account name',
  };
}

/** `attached`: every policy the account would carry, FullAWSAccess included. */
export function tooManyScps(account: string, attached: readonly string[], max: number): Message {
  return {
    code: 'RC322',
    message: `account "${account}" would carry ${attached.length} service control policies (${attached.join(', ')}), over the AWS Organizations quota of ${max}`,
    expected: `at most ${max} per account, FullAWSAccess included`,
    fix: 'this is a rolecall bug: please report it',
  };
}

// ---------------------------------------------------------------------------
// Hardening (issue 7): resource control policies, values AWS rejects, loader limits

export function fileTooLarge(bytes: number, max: number): Message {
  return {
    code: 'RC003',
    message: `the org file is ${bytes.toLocaleString('en-US')} bytes, over rolecall's limit of ${max.toLocaleString('en-US')}`,
    expected: `at most ${max.toLocaleString('en-US')} bytes (a 5,000-person organisation needs about 2 MB)`,
    fix: 'check that this is the org file; remove generated or pasted content',
  };
}

export function nestingTooDeep(max: number): Message {
  return {
    code: 'RC009',
    message: `the YAML nests more than ${max} levels deep here`,
    expected: `at most ${max} levels of maps and lists (an org file needs fewer than 10)`,
    fix: 'remove the extra brackets or indentation',
  };
}

export function reservedKey(key: string): Message {
  return {
    code: 'RC010',
    message: `the key "${key}" is reserved`,
    expected: 'a key other than __proto__, constructor or prototype (JavaScript gives them a meaning of their own)',
    fix: `rename "${key}"`,
  };
}

export function yamlVersionDirective(version: string): Message {
  return {
    code: 'RC011',
    message: `the file asks for YAML ${version}; rolecall reads YAML 1.2 only`,
    expected: 'no %YAML directive, or %YAML 1.2 (in YAML 1.1, `yes` is true and `<<` merges maps)',
    fix: 'remove the %YAML line and write booleans as true/false',
  };
}

export function nameDiffersOnlyInCase(kind: string, name: string, other: string, why: string): Message {
  return {
    code: 'RC123',
    message: `${kind} "${name}" differs from "${other}" only in case; ${why}`,
    expected: 'names that differ in more than letter case (IAM names are case-insensitive)',
    fix: `rename "${name}"`,
  };
}

export function deployRoleIsFunction(role: string, fn: string): Message {
  return {
    code: 'RC606',
    message: `deploy.assumeRoleName "${role}" is also the name of function "${fn}"`,
    expected:
      'a deploy role apart from every function role: the services SCP exempts the deploy role, and a stack must not manage the role it runs as',
    fix: `rename function "${fn}", or set deploy.assumeRoleName to another role (e.g. OrganizationAccountAccessRole)`,
  };
}

export function functionIsGeneratedName(fn: string, generated: string, what: string): Message {
  return {
    code: 'RC222',
    message: `function "${fn}" has the name of ${what} "${generated}" (IAM names are case-insensitive)`,
    expected: `a function name other than ${generated.toLowerCase()}`,
    fix: `rename function "${fn}"`,
  };
}

export function tagProblem(what: string, value: string, problem: string): Message {
  return {
    code: 'RC125',
    message: `${what} ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '...' : value)} ${problem}`,
    expected:
      'AWS tags: keys of 1-128 and values of 0-256 characters, letters, digits, spaces and _ . : / = + - @ only; keys not starting with "aws:"',
    fix: 'shorten it or replace the other characters',
  };
}

export function tooManyTags(account: string, count: number, max: number): Message {
  return {
    code: 'RC309',
    message: `account "${account}" has ${count} tags; with the tags rolecall adds, over AWS's 50 per resource`,
    expected: `at most ${max} tags`,
    fix: 'remove tags',
  };
}

export function duplicateSid(sid: string, first: number): Message {
  return {
    code: 'RC156',
    message: `Sid "${sid}" is used twice in this permission set (first in statement ${first})`,
    expected: 'Sids unique within one policy document (IAM rejects duplicates)',
    fix: 'rename one of them, or remove the Sid',
  };
}

export function unknownConditionOperator(operator: string, suggestion: string | undefined): Message {
  return {
    code: 'RC157',
    message: `unknown condition operator "${operator}"`,
    expected:
      'an IAM condition operator such as StringEquals, ArnLike, Bool or NumericLessThan, optionally with IfExists or a ForAllValues:/ForAnyValue: prefix',
    fix: suggestion,
  };
}

export function unknownConditionKey(key: string, service: string | undefined, suggestion: string | undefined): Message {
  return {
    code: 'RC158',
    message: service ? `condition key "${key}" does not exist for service ${service}` : `unknown global condition key "${key}"`,
    expected: service
      ? `a condition key of ${service} (see the service authorization reference) or a global aws: key`
      : 'a global condition key such as aws:PrincipalOrgID or aws:SourceIp',
    fix: suggestion,
  };
}

export function textTooLong(what: string, length: number, max: number): Message {
  return {
    code: 'RC126',
    message: `${what} is ${length} characters long`,
    expected: `at most ${max} characters (AWS's limit)`,
    fix: 'shorten it',
  };
}

export function descriptionCharacters(what: string, ch: string): Message {
  return {
    code: 'RC127',
    message: `${what} contains ${JSON.stringify(ch)}, which IAM does not accept in a description`,
    expected: 'Latin-1 text: printable ASCII, tabs, new lines and the characters U+00A1 to U+00FF',
    fix: 'replace or remove that character',
  };
}

export function badPgpKey(): Message {
  return {
    code: 'RC129',
    message: 'pgpKey is neither keybase:USERNAME nor a base64 PGP public key',
    expected: 'keybase:alice, or the base64 of a binary public key (gpg --export alice | base64 -w0)',
    fix: 'export the public key in binary form and base64 it, without the ASCII-armour header lines',
  };
}

export function tooManyPeople(count: number, max: number): Message {
  return {
    code: 'RC408',
    message: `${count.toLocaleString('en-US')} people, but an AWS account holds at most ${max.toLocaleString('en-US')} IAM users`,
    expected: `at most ${max.toLocaleString('en-US')} people`,
    fix: 'use an identity provider (IAM Identity Center) for an organisation this size',
  };
}

export function interpretedText(fragment: string): Message {
  return {
    code: 'RC128',
    message: `contains ${JSON.stringify(fragment)}, which Terraform or CDKTF would read as code`,
    expected: 'plain text: no ${, %{ or CDKTF token texts in names, keys and paths',
    fix: `remove ${JSON.stringify(fragment)}`,
  };
}

export function rcpOverQuota(policy: string, size: number, limit: number): Message {
  return {
    code: 'RC323',
    message: `resource control policy "${policy}": ${size} characters, over the AWS Organizations quota of ${limit}`,
    expected: `at most ${limit} characters`,
    fix: 'name fewer external principals (a whole account instead of many roles in it)',
  };
}

/** `attached`: every RCP the account would carry, RCPFullAWSAccess included. */
export function tooManyRcps(account: string, attached: readonly string[], max: number): Message {
  return {
    code: 'RC324',
    message: `account "${account}" would carry ${attached.length} resource control policies (${attached.join(', ')}), over the AWS Organizations quota of ${max}`,
    expected: `at most ${max} per account, RCPFullAWSAccess included`,
    fix: 'this is a rolecall bug: please report it',
  };
}

// ---------------------------------------------------------------------------
// Guardrail breaches (raised by the plan layer)

/** What a breach message needs of an access path (the plan's AccessPath fits). */
interface BreachTrigger {
  account: string;
  path: string;
  action: string;
}
type BreachSets = readonly { name: string; level: AccessLevel; action?: string }[];
export type BreachPath =
  | {
      kind: 'function';
      function: string;
      level: AccessLevel;
      action?: string;
      /** Every permission set the role holds on the account. */
      permissionSets: BreachSets;
    }
  | {
      kind: 'pipeline';
      pipeline: string;
      level: AccessLevel;
      action?: string;
      changer: { name: string };
    }
  | { kind: 'join'; function: string; level: AccessLevel; action?: string; permissionSets: BreachSets; because: BreachTrigger }
  | {
      kind: 'management';
      how: 'management-admin' | 'assume-deploy-role';
      role: string;
      level: AccessLevel;
      action?: string;
      because: BreachTrigger;
    };

export interface Breach {
  guardrail: string;
  maxAccess: AccessLevel;
  /** The person breaching; absent when a function breaches on its own (it has no members). */
  person?: string;
  /** The function breaching on its own. */
  function?: string;
  account: string;
  path: BreachPath;
}

/** "a write action", "an admin action". */
function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function levelAbove(a: AccessLevel, b: AccessLevel): boolean {
  return compareAccessLevel(a, b) > 0;
}

/**
 * One person's (or member-less function's) path breaching a guardrail on one account:
 *   guardrail "developers never change customer data" breached: dave has write on account storage
 *   through function developers (permission set admin allows s3:AbortMultipartUpload, a write action);
 *   the guardrail allows at most read
 */
export function guardrailBreach(b: Breach): Message {
  const who = b.person ?? `function ${b.function} (no members yet, so on its own)`;
  const head = `guardrail "${b.guardrail}" breached: ${who} has ${b.path.level} on account ${b.account}`;
  const tail = `the guardrail allows at most ${b.maxAccess}`;
  const expected = `at most ${b.maxAccess} for everyone the guardrail selects and every function it names, through every function, pipeline and transitive path`;
  const out = b.person !== undefined ? `, or take ${b.person} out of ` : undefined;
  switch (b.path.kind) {
    case 'function': {
      const fn = b.path.function;
      const action = b.path.action;
      const level = b.path.level;
      const culprit = b.path.permissionSets.find((s) => s.action === action && s.level === level);
      const over = b.path.permissionSets.filter((s) => levelAbove(s.level, b.maxAccess)).map((s) => s.name);
      return {
        code: 'RC501',
        message: `${head} through function ${fn} (permission set ${culprit?.name ?? '?'} allows ${action}, ${article(level)} ${level} action); ${tail}`,
        expected,
        fix: `grant function ${fn} no more than ${b.maxAccess} on ${b.account} (now: ${over.join(', ')})${out ? `${out}${fn}` : ''}`,
      };
    }
    case 'pipeline':
      return {
        code: 'RC501',
        message: `${head} through pipeline ${b.path.pipeline} (as ${b.person !== undefined ? 'a member of ' : ''}changer function ${b.path.changer.name}; changers hold what its apply credentials hold, e.g. ${b.path.action}, ${article(b.path.level)} ${b.path.level} action); ${tail}`,
        expected,
        fix: `remove ${b.path.changer.name} from pipelines.${b.path.pipeline}.changers, or leave ${b.account} out of the pipeline's accounts`,
      };
    case 'join':
      return {
        code: 'RC501',
        message: `${head} through function ${b.path.function}, which ${b.person ?? `members of ${b.function}`} can join: ${b.path.because.path} allows ${b.path.because.action} on ${b.path.because.account}, where people and their groups live (${b.path.function} gives ${b.path.level} here, e.g. ${b.path.action}); ${tail}`,
        expected,
        fix: `keep ${b.path.because.path} below admin on ${b.path.because.account} (no IAM user, group or policy writes there)`,
      };
    case 'management':
      return {
        code: 'RC501',
        message:
          b.path.how === 'management-admin'
            ? `${head} through the management account: ${b.path.because.path} allows ${b.path.because.action} (admin) on ${b.path.because.account}, which is admin on every member account; ${tail}`
            : `${head} through role ${b.path.role}: ${b.path.because.path} on ${b.path.because.account} can assume it, and it holds admin; ${tail}`,
        expected,
        fix:
          b.path.how === 'management-admin'
            ? `keep ${b.path.because.path} below admin on ${b.path.because.account}`
            : `narrow the sts:AssumeRole grant on ${b.path.because.account} so it names no deploy role or OrganizationAccountAccessRole`,
      };
  }
}

/** More breaches than are worth printing one by one. */
export function moreBreaches(guardrail: string, shown: number, total: number, people: number, accounts: number): Message {
  return {
    code: 'RC502',
    message: `guardrail "${guardrail}": ${total - shown} more breaches not shown (${total} in all, by ${people} people on ${accounts} accounts)`,
    fix: 'run `npx rolecall access` or `npx rolecall explain PERSON ACCOUNT` to see every path',
  };
}

// ---------------------------------------------------------------------------
// Command-line arguments (not located in the file)

/** `unknown person "bobb" (people: alice, bob); did you mean "bob"?` */
export function unknownArgument(kind: string, plural: string, value: string, names: readonly string[]): string {
  const fix = didYouMean(value, names);
  return `unknown ${kind} "${value}" (${plural}: ${names.join(', ')})${fix ? `; ${fix}` : ''}`;
}
