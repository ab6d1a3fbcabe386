/**
 * zod issues -> located, human Diagnostics. zod's own messages ("Invalid
 * input") are written for programmers; here each issue becomes a sentence
 * about the file, and a failed union becomes one message that explains the
 * accepted forms (or, when the value's shape shows which form was meant,
 * the errors inside that form).
 */
import type { z } from 'zod';
import type { Diagnostic, KeyPath } from './diagnostics';
import * as msg from './messages';
import { DURATION_EXPECTED, functionSchema, orgFileSchema, organizationSchema, PEOPLE_BACKENDS, selectorSchema } from './schema';
import { suggestDuration } from './duration';
import type { ParsedSource } from './source';

/** The few parts of a zod 4 schema definition that the walk below reads. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** Strips optional/default/... wrappers, which do not change a value's shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw value at a key path, or undefined. */
export function valueAt(data: unknown, path: KeyPath): unknown {
  let current = data;
  for (const part of path) {
    if (Array.isArray(current) && typeof part === 'number') current = current[part];
    else if (isPlainObject(current)) current = current[String(part)];
    else return undefined;
  }
  return current;
}

/** For a union, the option whose shape fits the value (map -> object/record, list -> array). */
function optionFor(options: z.ZodType[], value: unknown): z.ZodType | undefined {
  const wanted = Array.isArray(value) ? ['array'] : isPlainObject(value) ? ['object', 'record'] : [];
  const fits = options.filter((o) => wanted.includes(defOf(unwrap(o)).type));
  return fits.length === 1 ? fits[0] : undefined;
}

/** The (unwrapped) schema that describes the value at `path`, following the data through unions. */
export function schemaAt(path: KeyPath, data: unknown, root: z.ZodType = orgFileSchema): z.ZodType | undefined {
  let schema: z.ZodType | undefined = unwrap(root);
  for (let i = 0; i <= path.length && schema; i++) {
    const def = defOf(schema);
    if (def.type === 'union' && def.options) {
      schema = optionFor(def.options, valueAt(data, path.slice(0, i)));
      if (!schema) return undefined;
      schema = unwrap(schema);
    }
    if (i === path.length) break;
    const d = defOf(schema);
    const part = path[i];
    if (d.type === 'object' && d.shape) schema = d.shape[String(part)];
    else if (d.type === 'record') schema = d.valueType;
    else if (d.type === 'array') schema = d.element;
    else return undefined;
    if (schema) schema = unwrap(schema);
  }
  return schema;
}

/** The keys an object accepts at `path`, sorted; empty when not an object. */
function allowedKeys(path: KeyPath, data: unknown): string[] {
  const schema = schemaAt(path, data);
  const def = schema ? defOf(schema) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape).sort() : [];
}

/** "a string", "a list", ... as in "expected a string". */
function describeExpected(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
    case 'map':
      return 'a map';
    case 'boolean':
      return 'true or false';
    case 'int':
    case 'number':
      return 'a number';
    default:
      return `a ${expected}`;
  }
}

/**
 * "a string", or the schema's own words for a string with a pattern ("a
 * duration such as 15m, 1h or 12h"): probing with a value no pattern
 * accepts yields that message.
 */
function describeStringSchema(schema: z.ZodType | undefined): string {
  const probe = schema?.safeParse('\u0000');
  const issue = probe && !probe.success ? probe.error.issues[0] : undefined;
  return issue?.code === 'invalid_format' && !issue.message.startsWith('Invalid') ? issue.message : 'a string';
}

/** A union branch that failed only because the value has another shape entirely. */
function isShapeMismatch(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.length === 1 && issues[0].path.length === 0 && (issues[0].code === 'invalid_type' || issues[0].code === 'invalid_value');
}

/** Explains a failed union as one message, naming the accepted forms. */
function unionMessage(path: KeyPath, value: unknown, data: unknown): msg.Message {
  const schema = schemaAt(path.slice(0, -1), data);
  const parent = schema ? defOf(schema) : undefined;
  const own =
    parent?.type === 'object' ? parent.shape?.[String(path[path.length - 1])] : parent?.type === 'record' ? parent.valueType : undefined;
  const union = own ? unwrap(own) : undefined;
  if (union === selectorSchema) return msg.invalidSelector(value);
  if (union === unwrap(functionSchema.shape.access)) return msg.invalidAccess(value);
  if (union === unwrap(organizationSchema.shape.people)) return msg.invalidPeopleBackend(value, PEOPLE_BACKENDS);
  const options = union ? (defOf(union).options ?? []).map((o) => defOf(unwrap(o)).type) : [];
  if (options.length === 2 && options.includes('string') && options.includes('array')) {
    const what = path.includes('access') || path[path.length - 1] === 'permissions' ? 'a permission set name' : 'a name';
    return msg.invalidNameOrList(what, value);
  }
  return msg.invalidUnion(options.length > 0 ? options.map(describeExpected) : ['another form'], value);
}

function toPath(base: KeyPath, issuePath: readonly PropertyKey[]): KeyPath {
  return [...base, ...issuePath.map((p) => (typeof p === 'number' ? p : String(p)))];
}

/** Converts zod issues (relative to `base`) into Diagnostics; every issue yields at least one. */
export function issuesToDiagnostics(issues: readonly z.core.$ZodIssue[], source: ParsedSource, base: KeyPath = []): Diagnostic[] {
  const data = source.data;
  const out: Diagnostic[] = [];
  const push = (path: KeyPath, message: msg.Message) => {
    out.push({ severity: 'error', file: source.file, ...source.locate(path), path, ...message });
  };
  for (const issue of issues) {
    const path = toPath(base, issue.path);
    const value = valueAt(data, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeys(path, data);
        for (const key of issue.keys) push([...path, key], msg.unknownKey(key, allowed));
        break;
      }
      case 'invalid_type': {
        const expected = issue.expected === 'string' ? describeStringSchema(schemaAt(path, data)) : describeExpected(issue.expected);
        if (value === undefined && path.length > 0) {
          push(path, msg.missingKey(String(path[path.length - 1]), expected));
        } else if (path.length === 0 && (value === null || value === undefined)) {
          push(path, msg.emptyFile());
        } else {
          // Suggest quoting only when the quoted text would be valid (012345678901 yes, 15 as a duration no).
          const text = source.scalarSource(path);
          const target = schemaAt(path, data);
          const quotable = text !== undefined && target !== undefined && target.safeParse(text).success ? text : undefined;
          const wrong = msg.wrongType(expected, value, quotable);
          const duration = expected === DURATION_EXPECTED ? suggestDuration(value) : undefined;
          push(path, duration ? { ...wrong, fix: `did you mean "${duration}"? (a number is read as seconds)` } : wrong);
        }
        break;
      }
      case 'invalid_value':
        if (path.length === 1 && path[0] === 'version') push(path, msg.unsupportedVersion(value, issue.values[0]));
        else if (value === undefined)
          push(path, msg.missingKey(String(path[path.length - 1]), `one of ${msg.listNames(issue.values.map(String))}`));
        else push(path, msg.invalidChoice(value, issue.values));
        break;
      case 'invalid_format': {
        // Custom regex messages in schema.ts describe the expected form; zod's default does not.
        const invalid = msg.invalidFormat(
          value,
          issue.message.startsWith('Invalid')
            ? `a value matching ${'pattern' in issue ? String(issue.pattern) : issue.format}`
            : issue.message,
        );
        const duration = issue.message === DURATION_EXPECTED ? suggestDuration(value) : undefined;
        push(path, duration ? { ...invalid, fix: `did you mean "${duration}"? (one unit: s, m or h)` } : invalid);
        break;
      }
      case 'too_small':
      case 'too_big':
        if (Array.isArray(value) && issue.code === 'too_small' && value.length === 0) push(path, msg.emptyList());
        else if (value === '') push(path, msg.emptyString());
        else
          push(
            path,
            msg.outOfBounds(
              value,
              `${issue.code === 'too_small' ? 'at least' : 'at most'} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}${Array.isArray(value) ? ' items' : typeof value === 'string' ? ' characters' : ''}`,
            ),
          );
        break;
      case 'invalid_union': {
        const meant = issue.errors.filter((branch) => !isShapeMismatch(branch));
        if (meant.length === 1) out.push(...issuesToDiagnostics(meant[0], source, path));
        else {
          const explained = unionMessage(path, value, data);
          push(path, value === undefined ? msg.missingKey(String(path[path.length - 1]), explained.expected ?? 'a value') : explained);
        }
        break;
      }
      default:
        push(path, msg.schemaIssue(issue.message));
    }
  }
  return out;
}
