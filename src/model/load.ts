/**
 * Loading the org file: YAML -> schema -> cross-references -> Model.
 * Every stage reports all it finds; a Model is returned only when nothing
 * is an error (notices are fine).
 */
import * as fs from 'fs';
import type { Diagnostic, KeyPath } from './diagnostics';
import { sortDiagnostics } from './diagnostics';
import { issuesToDiagnostics } from './issues';
import { fileNotReadable, fileTooLarge, type Message } from './messages';
import type { LoadResult, Model } from './model';
import { checkReferences, salvageSections, sectionsFromOrg } from './references';
import { orgFileSchema } from './schema';
import { parseSource, SOURCE_LIMITS } from './source';

/** Loads an org file from its text; `file` is the name used in messages. */
export function loadOrgText(text: string, file: string): LoadResult {
  const source = parseSource(text, file);
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  if (source.fatal) return { diagnostics: sortDiagnostics(diagnostics) };

  const parsed = orgFileSchema.safeParse(source.data);
  if (!parsed.success) diagnostics.push(...issuesToDiagnostics(parsed.error.issues, source));
  const sections = parsed.success ? sectionsFromOrg(parsed.data) : salvageSections(source.data);

  const report = (path: KeyPath, message: Message, severity: 'error' | 'notice' = 'error') => {
    diagnostics.push({ severity, file, ...source.locate(path), path, ...message });
  };
  const resolved = checkReferences(sections, report);

  const sorted = sortDiagnostics(diagnostics);
  if (!parsed.success || sorted.some((d) => d.severity === 'error')) return { diagnostics: sorted };
  const model: Model = {
    file,
    org: parsed.data,
    grants: resolved.grants,
    managedPolicyArns: resolved.managedPolicyArns,
    notices: sorted.filter((d) => d.severity === 'notice'),
    locate: source.locate,
  };
  return { model, diagnostics: sorted };
}

/** Reads and loads an org file; an unreadable file is one error at 1:1. */
export function loadOrgFile(file: string): LoadResult {
  let text: string;
  try {
    // Before reading: a huge file must not be read into memory at all.
    const size = fs.statSync(file).size;
    if (size > SOURCE_LIMITS.bytes) {
      return { diagnostics: [{ severity: 'error', file, line: 1, col: 1, path: [], ...fileTooLarge(size, SOURCE_LIMITS.bytes) }] };
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.message;
    return { diagnostics: [{ severity: 'error', file, line: 1, col: 1, path: [], ...fileNotReadable(file, reason) }] };
  }
  return loadOrgText(text, file);
}
