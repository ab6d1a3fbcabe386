/**
 * Every user-facing message text, in one place, so wording stays consistent
 * and tests can pin it. Each function returns the parts of a Diagnostic that
 * are words: what is wrong, what was expected, how to fix it.
 */

export interface Message {
  message: string;
  expected?: string;
  fix?: string;
}

// ---------------------------------------------------------------------------
// Suggestions

/** Optimal-string-alignment (Damerau-Levenshtein) distance: a swap of two neighbours costs 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The closest candidate to a misspelt input, or undefined when none is close:
 * a case-insensitive match first, else the smallest edit distance (ignoring
 * case) if it is at most max(2, len/3) and smaller than both lengths (so
 * "x" never "suggests" "s3"). Ties go to the alphabetically first.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  const sorted = [...new Set(candidates)].filter((c) => c !== input).sort();
  const sameCase = sorted.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of sorted) {
    if (Math.abs(candidate.length - input.length) > limit) continue; // cannot be close: skip the work
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance <= limit && distance < input.length && distance < candidate.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean "operations"?`, or undefined when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closest(input, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

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
  return { message: `cannot read the org file ${file}: ${reason}`, fix: 'check the path, or pass --config FILE' };
}

export function emptyFile(): Message {
  return { message: 'the file is empty', expected: 'an org file: version, organization, accounts, ...' };
}

export function yamlSyntax(text: string): Message {
  return { message: `YAML syntax error: ${text.replace(/\s+/g, ' ').trim()}` };
}

export function duplicateKey(key: string, firstLine: number | undefined): Message {
  return {
    message: `duplicate key "${key}"`,
    fix: firstLine === undefined ? 'keep only one of them' : `keep only one of them; the first "${key}" is on line ${firstLine}`,
  };
}

export function multipleDocuments(): Message {
  return {
    message: 'the file holds more than one YAML document',
    expected: 'a single YAML document',
    fix: 'remove the "---" separator and merge the documents',
  };
}

export function yamlNotConvertible(reason: string): Message {
  return { message: `the YAML cannot be read as data: ${reason}` };
}

// ---------------------------------------------------------------------------
// Shape (schema) errors

export function unknownKey(key: string, allowed: readonly string[]): Message {
  if (/^not_?actions?$/i.test(key)) {
    return {
      message: `unknown key "${key}": NotAction is not supported`,
      expected: `one of ${listNames(allowed)}`,
      fix: 'list the allowed actions in `actions`, or add a Deny statement',
    };
  }
  return { message: `unknown key "${key}"`, expected: `one of ${listNames(allowed)}`, fix: didYouMean(key, allowed) };
}

export function missingKey(key: string, expected: string): Message {
  return { message: `missing key "${key}"`, expected };
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
  return { message: `expected ${expected}, got ${describeType(value)}`, fix: typeFix(expected, value, quotable) };
}

export function invalidChoice(value: unknown, allowed: readonly unknown[]): Message {
  const names = allowed.map(String);
  return {
    message: `invalid value ${show(value)}`,
    expected: `one of ${listNames(names)}`,
    fix: typeof value === 'string' ? didYouMean(value, names) : undefined,
  };
}

export function unsupportedVersion(value: unknown, supported: unknown): Message {
  return { message: `unsupported version ${show(value)}`, expected: `version: ${String(supported)}` };
}

export function invalidFormat(value: unknown, expected: string): Message {
  return { message: `invalid value ${show(value)}`, expected };
}

export function emptyList(): Message {
  return { message: 'the list is empty', expected: 'at least one item' };
}

export function emptyString(): Message {
  return { message: 'the value is empty', expected: 'a non-empty string' };
}

export function outOfBounds(value: unknown, expected: string): Message {
  return { message: `invalid value ${show(value)}`, expected };
}

export const SELECTOR_FORMS =
  '"*" (every account but the master), a list of account names, or a map of ou, data, environment and tags that must all match';

export function invalidSelector(value: unknown): Message {
  const fix = typeof value === 'string' ? `for one account write [${value}]` : undefined;
  return { message: `invalid account selector: got ${typeof value === 'string' ? `the string ${show(value)}` : describeType(value)}`, expected: SELECTOR_FORMS, fix };
}

export function invalidAccess(value: unknown): Message {
  return {
    message: `invalid access: got ${describeType(value)}`,
    expected:
      'a map of account name to permission set(s), e.g. { production: admin }, or a list of grants, e.g. [{ accounts: "*", permissions: logs-read }]',
  };
}

export function invalidNameOrList(what: string, value: unknown): Message {
  return { message: `expected ${what} or a list of them, got ${describeType(value)}` };
}

export function invalidUnion(forms: readonly string[], value: unknown): Message {
  return { message: `expected ${forms.slice(0, -1).join(', ')}${forms.length > 1 ? ' or ' : ''}${forms[forms.length - 1]}, got ${describeType(value)}` };
}

// ---------------------------------------------------------------------------
// Names and references

export function invalidName(kind: string, name: string, expected: string): Message {
  const lowered = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return { message: `invalid ${kind} name "${name}"`, expected, fix: lowered !== name && /^[a-z]/.test(lowered) ? `did you mean "${lowered}"?` : undefined };
}

export function nameTooLong(kind: string, name: string, max: number, why: string): Message {
  return { message: `${kind} name "${name}" is ${name.length} characters long`, expected: `at most ${max} characters (${why})` };
}

/** `unknown account "prodution"`, listing what exists and suggesting the closest. */
export function unknownReference(kind: string, name: string, known: readonly string[], section: string): Message {
  return {
    message: `unknown ${kind} "${name}"`,
    expected: `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} name from \`${section}\` (${listNames([...known].sort())})`,
    fix: didYouMean(name, known),
  };
}

export function starInNameList(): Message {
  return { message: '"*" inside a list is not an account name', fix: 'write accounts: "*" (not in a list) for every account but the master' };
}

export function duplicateInList(kind: string, name: string): Message {
  return { message: `${kind} "${name}" is listed twice`, fix: 'remove the repetition' };
}

// ---------------------------------------------------------------------------
// Organization and accounts

export function masterNeedsId(master: string): Message {
  return {
    message: `the master account "${master}" has no id`,
    expected: 'the 12-digit id of the account that holds the people, as a quoted string',
  };
}

export function manageNeeds(key: 'id' | 'rootId'): Message {
  const example = key === 'id' ? 'o-abc123defg' : 'r-ab12';
  return {
    message: `organization.manage is true, but organization.${key} is missing`,
    expected: `organization.${key}, e.g. ${example} (rolecall never creates the organization, it only reads its ids from the file)`,
  };
}

export function accountNeedsIdOrEmail(name: string): Message {
  return {
    message: `account "${name}" has neither id nor email`,
    expected: 'id: its 12-digit account id, or email: to have the organization stack create it',
  };
}

export function accountWithoutId(name: string, manage: boolean): Message {
  return {
    message: `account ${name} has no id yet: no account stack until its id is written into the file`,
    fix: manage
      ? 'apply the organization stack, then write the new account id here'
      : 'set organization.manage: true so the organization stack creates it, or write its id here',
  };
}

export function duplicateAccountValue(what: 'id' | 'email', value: string, other: string): Message {
  return { message: `account ${what} ${show(value)} is also used by account "${other}"`, expected: `a distinct ${what} per account` };
}

export function unknownService(prefix: string, known: readonly string[]): Message {
  return { message: `unknown AWS service prefix "${prefix}"`, expected: 'an IAM service prefix such as s3, ec2 or logs', fix: didYouMean(prefix, known) };
}

export function servicesOnMaster(master: string): Message {
  return {
    message: `services has no effect on the master account "${master}"`,
    expected: 'no services key here: service control policies never apply to the management account',
  };
}

// ---------------------------------------------------------------------------
// Permission sets and IAM

export function invalidActionSyntax(action: string): Message {
  return { message: `invalid IAM action "${action}"`, expected: 'service:Action, e.g. s3:GetObject, a pattern such as s3:Get*, or "*"' };
}

export function unknownActionService(action: string, service: string, known: readonly string[]): Message {
  const match = closest(service, known);
  return {
    message: `unknown IAM action "${action}": there is no service "${service}"`,
    expected: 'service:Action with a known IAM service prefix, e.g. s3:GetObject',
    fix: match === undefined ? undefined : `did you mean "${match}:${action.slice(service.length + 1)}"?`,
  };
}

export function unknownAction(action: string, known: readonly string[]): Message {
  return { message: `unknown IAM action "${action}"`, expected: 'an action from the IAM action catalog', fix: didYouMean(action, known) };
}

export function patternMatchesNothing(pattern: string): Message {
  return { message: `IAM action pattern "${pattern}" matches no known action`, expected: 'a pattern that matches at least one action, e.g. s3:Get*' };
}

export function unknownManagedPolicy(ref: string, suggestion: string | undefined): Message {
  return {
    message: `unknown AWS managed policy "${ref}"`,
    expected: 'a managed policy name (AdministratorAccess), path/name (job-function/NetworkAdministrator) or ARN',
    fix: suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
  };
}

export function duplicateManagedPolicy(ref: string, arn: string): Message {
  return { message: `managed policy "${ref}" is listed twice${ref === arn ? '' : ` (${arn})`}`, fix: 'remove the repetition' };
}

// ---------------------------------------------------------------------------
// Functions

export function durationOutOfRange(key: string, value: string, min: string, max: string, why: string): Message {
  return { message: `${key} ${value} is out of range`, expected: `between ${min} and ${max} (${why})` };
}

export function functionGrantsNothing(fn: string): Message {
  return { message: `function "${fn}" grants no access`, expected: 'at least one account in access' };
}

export function emptySelector(): Message {
  return {
    message: 'an empty selector map would match every account, the master included',
    expected: SELECTOR_FORMS,
    fix: 'write "*" for every account but the master, or name the accounts',
  };
}

export function selectorMatchesNothing(selector: string, fix?: string): Message {
  return { message: `selector ${selector} matches no account`, expected: 'a selector matching at least one account', fix };
}

export function starMatchesNothing(): Message {
  return { message: 'selector "*" matches no account: it means every account except the master, and there is none', expected: 'a selector matching at least one account' };
}

// ---------------------------------------------------------------------------
// People

export function invalidUserName(name: string): Message {
  return { message: `invalid IAM user name "${name}"`, expected: 'letters, digits and + = , . @ _ - only, at most 64 characters' };
}

export function tooManyFunctions(person: string, count: number, max: number): Message {
  return {
    message: `${person} is in ${count} functions, but at most ${max} are possible: IAM allows ${max + 1} groups per user and every person is also in the generated RequireMFA group`,
    fix: 'merge functions, or split the person\'s duties',
  };
}

export function needsPgpKey(what: 'console' | 'accessKey'): Message {
  return what === 'console'
    ? { message: 'console password needs pgpKey, so it is never stored in plain text', expected: 'pgpKey: keybase:<user> or a base64 PGP public key' }
    : { message: 'access key needs pgpKey, so its secret is never stored in plain text', expected: 'pgpKey: keybase:<user> or a base64 PGP public key' };
}

// ---------------------------------------------------------------------------
// Guardrails, pipelines, deploy

export function guardrailSelectsNobody(name: string): Message {
  return { message: `guardrail "${name}" selects nobody`, expected: 'functions, people or both' };
}

export function duplicateGuardrail(name: string): Message {
  return { message: `guardrail name "${name}" is used twice`, expected: 'a distinct name per guardrail (errors name the guardrail)' };
}

export function unsupportedDeploy(key: 'backend' | 'credentials', value: string): Message {
  return key === 'backend'
    ? {
        message: `deploy.backend "${value}" is not supported yet; use local (remote backends come in a later release)`,
        expected: 'backend: local',
      }
    : {
        message: `deploy.credentials "${value}" is not supported yet; use assume-role or environment`,
        expected: 'credentials: assume-role or environment',
      };
}

// ---------------------------------------------------------------------------
// Quotas (raised by the plan layer)

export function quotaExceeded(what: string, size: number, limit: number, fix: string): Message {
  return { message: `${what}: ${size}, over the IAM quota of ${limit}`, expected: `at most ${limit}`, fix };
}
