/**
 * Loading the org file: YAML -> schema -> cross-references -> Model.
 * Every stage reports all it finds; a Model is returned only when nothing
 * is an error (notices are fine).
 */
import * as fs from 'fs';
import type { Diagnostic, KeyPath } from './diagnostics';
import { formatKeyPath, sortDiagnostics } from './diagnostics';
import { issuesToDiagnostics } from './issues';
import { badReferenceTime, fileNotReadable, fileTooLarge, listNames, notText, type Message } from './messages';
import type { LoadResult, Model } from './model';
import { checkReferences, salvageSections, sectionsFromOrg } from './references';
import { checkIdentityCenter } from './identity-center';
import { orgFileSchema } from './schema';
import { parseSource, SOURCE_LIMITS } from './source';
import { lazyReferenceTimeOf, referenceTimeOfText, type ReferenceTime } from './reference-time';

/**
 * Loads an org file from its text; `file` is the name used in messages.
 * `referenceTime`: what duration bounds are measured from (src/model/reference-time.ts);
 * by default ROLECALL_REFERENCE_TIME, else the clock (text has no commit).
 */
export function loadOrgText(text: string, file: string, referenceTime?: ReferenceTime | Error): LoadResult {
  const reference = referenceTime ?? referenceTimeOfText('read from text, not from a committed file');
  if (reference instanceof Error) return { diagnostics: [fileError(file, badReferenceTime(reference.message))] };
  const source = parseSource(text, file);
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  if (source.fatal) return { diagnostics: sortDiagnostics(diagnostics), notRun: NOTHING_RUN_YAML };

  const parsed = orgFileSchema.safeParse(source.data);
  if (!parsed.success) diagnostics.push(...issuesToDiagnostics(parsed.error.issues, source));
  const sections = parsed.success ? sectionsFromOrg(parsed.data) : salvageSections(source.data);

  const report = (path: KeyPath, message: Message, severity: 'error' | 'notice' = 'error') => {
    diagnostics.push({ severity, file, ...source.locate(path), path, ...message });
  };
  const resolved = checkReferences(sections, report, reference);
  checkIdentityCenter(sections, report, resolved.grants);

  if (!parsed.success) {
    // Entries with schema errors are null above: the names they refer to are checked again
    // over the entries repaired (their bad keys dropped), keeping only unknown names found inside them.
    const repaired: KeyPath[] = [];
    const repairedSections = salvageSections(source.data, repaired);
    if (repaired.length > 0) {
      const seen = new Set(diagnostics.map((d) => `${d.code} ${formatKeyPath(d.path)}`));
      const inside = (path: KeyPath) => repaired.some((r) => r.every((part, i) => path[i] === part));
      checkReferences(
        repairedSections,
        (path, message, severity = 'error') => {
          if (severity !== 'error' || !NAME_CODES.test(message.code) || !inside(path) || seen.has(`${message.code} ${formatKeyPath(path)}`))
            return;
          report(path, message);
        },
        reference,
      );
    }
    const raw = (source.data ?? {}) as Record<string, unknown>;
    const unchecked = [
      ...(['organization', 'deploy'] as const).filter((section) => raw[section] !== undefined && sections[section] === undefined),
      ...(['accounts', 'permissions', 'functions', 'people', 'guardrails', 'pipelines', 'scps'] as const).flatMap((section) =>
        Object.entries(sections[section] ?? {})
          .filter(([name, entry]) => entry === null && !repaired.some((r) => r[0] === section && String(r[1]) === name))
          .map(([name]) => formatKeyPath(section === 'guardrails' ? [section, Number(name)] : [section, name])),
      ),
    ];
    return { diagnostics: sortDiagnostics(diagnostics), notRun: schemaNotRun(unchecked) };
  }
  const sorted = sortDiagnostics(diagnostics);
  const model: Model = {
    file,
    org: parsed.data,
    grants: resolved.grants,
    managedPolicyArns: resolved.managedPolicyArns,
    notices: sorted.filter((d) => d.severity === 'notice'),
    locate: source.locate,
    referenceTime: reference,
  };
  if (sorted.some((d) => d.severity === 'error')) {
    const salvaged = salvageModel(model);
    return salvaged ? { diagnostics: sorted, salvaged } : { diagnostics: sorted, notRun: PLAN_CHECKS_NOT_RUN_UNKNOWN_ORGANIZATION };
  }
  return { model, diagnostics: sorted };
}

/** Codes of a name that does not exist (an account, function, permission set, person; an IAM action or managed policy). */
const NAME_CODES = /^RC(15[0-5]|20\d)$/;

/** What the plan-level rules check (src/checks/rules), for the summary line when they cannot run. */
const PLAN_CHECKS = 'the plan-level checks (IAM quotas, OU paths and SCPs, guardrails, deploy names)';

/** For the summary line: the checks a broken YAML file stops. */
export const NOTHING_RUN_YAML = `not checked yet, until the YAML parses: the file's shape, its references and ${PLAN_CHECKS}`;

/** For the summary line: the organization's own accounts are unknown, so no plan. */
export const PLAN_CHECKS_NOT_RUN_UNKNOWN_ORGANIZATION = `not checked yet, until organization.master (and identity) name accounts in accounts: ${PLAN_CHECKS}`;

/**
 * For the summary line: schema errors stop the plan-level checks; the
 * entries still unread are named (their other keys wait for their errors to
 * be fixed), and while an account is unread, so do selectors (what they
 * match depends on every account).
 */
function schemaNotRun(unchecked: readonly string[]): string {
  const parts = [PLAN_CHECKS];
  if (unchecked.some((path) => path.startsWith('accounts.'))) parts.push('the account selectors (an account has errors)');
  if (unchecked.length > 0) parts.push(`the rest of ${listNames(unchecked, 5)}`);
  return `not checked yet, until the file's shape is right (the RC101-RC114 errors above): ${parts.join(', ')}`;
}

/**
 * The model of a file whose shape is right but whose references are not,
 * with every broken reference dropped (an unknown function in a person, a
 * guardrail or a pipeline; unknown accounts and permission sets are already
 * left out of the grants), so the plan-level checks can still run and one
 * run reports every error it can. Dropping only ever removes access, so the
 * later checks cannot invent a breach the fixed file would not have.
 * Undefined when the organization's own accounts are unknown: every stack
 * hangs off them, nothing downstream would be meaningful.
 */
export function salvageModel(model: Model): Model | undefined {
  const org = model.org;
  const has = (section: Record<string, unknown>, name: string) => Object.prototype.hasOwnProperty.call(section, name);
  if (!has(org.accounts, org.organization.master)) return undefined;
  if (org.organization.identity !== undefined && !has(org.accounts, org.organization.identity)) return undefined;
  const fn = (name: string) => has(org.functions, name);
  const person = (name: string) => has(org.people, name);
  const people = Object.fromEntries(Object.entries(org.people).map(([k, p]) => [k, { ...p, functions: p.functions.filter(fn) }]));
  const guardrails = org.guardrails.map((g) => ({
    ...g,
    ...(g.functions ? { functions: g.functions.filter(fn) } : {}),
    ...(g.people ? { people: g.people.filter(person) } : {}),
  }));
  const pipelines = Object.fromEntries(Object.entries(org.pipelines).map(([k, p]) => [k, { ...p, changers: p.changers.filter(fn) }]));
  const adopt = org.deploy.adopt;
  const deploy = adopt
    ? {
        ...org.deploy,
        adopt: {
          people: adopt.people.filter(person),
          groups: adopt.groups.filter(fn),
          roles: Object.fromEntries(
            Object.entries(adopt.roles)
              .filter(([name]) => fn(name))
              .map(
                ([name, accounts]) =>
                  [name, accounts === '*' ? accounts : accounts.filter((a) => has(model.grants[name] ?? {}, a))] as const,
              )
              .filter(([, accounts]) => accounts === '*' || accounts.length > 0),
          ),
        },
      }
    : org.deploy;
  return { ...model, org: { ...org, people, guardrails, pipelines, deploy }, notices: [] };
}

/** Reads and loads an org file; an unreadable file is one error at 1:1. */
export function loadOrgFile(file: string): LoadResult {
  let bytes: Buffer;
  try {
    // Before reading: a huge file must not be read into memory at all.
    const size = fs.statSync(file).size;
    if (size > SOURCE_LIMITS.bytes) return { diagnostics: [fileError(file, fileTooLarge(size, SOURCE_LIMITS.bytes))] };
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { diagnostics: [fileError(file, fileNotReadable(file, readFailure(error)))] };
  }
  // Looked up (git) only if read: only a file with a duration bound reads it.
  return loadOrgBytes(bytes, file, lazyReferenceTimeOf(file));
}

/**
 * Loads an org file from raw bytes. A file that is not UTF-8 text (a NUL
 * byte, an invalid sequence) is refused in one error rather than parsed into
 * thousands of YAML errors about replacement characters.
 */
export function loadOrgBytes(bytes: Uint8Array, file: string, referenceTime?: ReferenceTime | Error): LoadResult {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { diagnostics: [fileError(file, notText(file, `a NUL byte at offset ${nul}`))] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { diagnostics: [fileError(file, notText(file, 'bytes that are not valid UTF-8'))] };
  }
  // A UTF-8 byte order mark is text, but not YAML content.
  return loadOrgText(text.startsWith('\uFEFF') ? text.slice(1) : text, file, referenceTime);
}

/** `no such file`, `it is a directory`, `permission denied`: why a path could not be read, in a few words. */
export function readFailure(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory';
    default:
      return err.code ? `${err.code}` : String(err.message ?? err);
  }
}

function fileError(file: string, message: Message): Diagnostic {
  return { severity: 'error', file, line: 1, col: 1, path: [], ...message };
}
