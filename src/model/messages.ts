/**
 * The loader's message texts: reading the file (source.ts, load.ts: RC0xx)
 * and its shape (schema.ts, issues.ts), plus the wording helpers every
 * layer shares. Each function returns the parts of a Diagnostic that are
 * words, with its code: what is wrong, what was expected, how to fix it.
 *
 * Messages live beside the layer that raises them: the reference checks'
 * in reference-messages.ts, a plan-level rule's in its file under
 * src/checks/rules/, the command line's in src/cli/messages.ts.
 */

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
import { didYouMean } from './suggest';
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

export function badReferenceTime(problem: string): Message {
  return {
    code: 'RC020',
    message: `the reference time of duration bounds cannot be read: ${problem}`,
    expected: 'ROLECALL_REFERENCE_TIME unset (the org file\'s last commit, else the clock), "now", or an RFC 3339 UTC instant',
    fix: 'unset ROLECALL_REFERENCE_TIME, or set it like ROLECALL_REFERENCE_TIME=2026-12-04T18:00:00Z',
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

/** RC005 and RC012-RC017, the YAML syntax errors in rolecall's words: src/model/yaml-errors.ts. */

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

/** Aliases that would expand the file beyond SOURCE_LIMITS.aliasedNodes (an alias bomb, or a file no org needs). */
export function aliasesTooLarge(limit: number): Message {
  return {
    code: 'RC008',
    message: `the YAML cannot be read as data: its aliases (*name) expand to more than ${limit.toLocaleString('en-US')} nodes beyond the file's own`,
    expected: 'aliases that repeat a few values, or none',
    fix: 'write the repeated values out, or alias a smaller part (an org file needs no alias of an alias of an alias)',
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

/** organization.people: a backend name, or a list of them. */
export function invalidPeopleBackend(value: unknown, backends: readonly string[]): Message {
  const first = Array.isArray(value) ? value.find((v) => typeof v === 'string' && !backends.includes(v)) : value;
  return {
    code: 'RC113',
    message: `invalid people backend: got ${typeof value === 'string' ? `"${value}"` : describeType(value)}`,
    expected: `${backends.join(' or ')}, or a list of both while people move ([${backends.join(', ')}])`,
    fix:
      typeof first === 'string'
        ? (didYouMean(first, backends) ?? `write ${backends[0]} (the default) or ${backends[1]}`)
        : `write ${backends[0]} (the default) or ${backends[1]}`,
  };
}

export function invalidUnion(forms: readonly string[], value: unknown): Message {
  return {
    code: 'RC113',
    message: `expected ${forms.slice(0, -1).join(', ')}${forms.length > 1 ? ' or ' : ''}${forms[forms.length - 1]}, got ${describeType(value)}`,
  };
}

// ---------------------------------------------------------------------------
// Loader limits and text Terraform would interpret (issue 7)

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

export function interpretedText(fragment: string): Message {
  return {
    code: 'RC128',
    message: `contains ${JSON.stringify(fragment)}, which Terraform or CDKTF would read as code`,
    expected: 'plain text: no ${, %{ or CDKTF token texts in names, keys and paths',
    fix: `remove ${JSON.stringify(fragment)}`,
  };
}
