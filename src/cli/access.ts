/**
 * `npx rolecall access [--format md|json|html] [--out FILE] [--cells]`: the
 * person x account access matrix, from the plan layer (never the synthesized
 * JSON). JSON is compact (schema 3); `--cells` also writes every person x
 * account cell out, which grows with people x accounts.
 * Refuses, like synth, when the file has errors: a guardrail breach included.
 */
import { compileOrgFile } from '../plan/compile';
import { buildAccessReport, renderAccessJson } from '../report/access-json';
import { renderAccessMarkdown } from '../report/access-markdown';
import { renderAccessHtml } from '../report/access-html';
import { stringFlag } from './args';
import type { CliIo, CommandOptions } from './io';
import { checkOutputFile, writeText } from './paths';
import { reportDiagnostics } from './validate';

/** The parser (main.ts's table) admits only these. */
type Format = 'md' | 'json' | 'html';

export function runAccess(options: CommandOptions, io: CliIo): number {
  const format = (stringFlag(options, 'format') ?? 'md') as Format;
  const out = stringFlag(options, 'out');
  if (out !== undefined) {
    const target = checkOutputFile('--out', out);
    if (!target.ok) {
      io.err(`rolecall access: ${target.error}`);
      return 2;
    }
  }
  const result = compileOrgFile(options.config);
  // Notices go to stderr too: stdout may be the report itself (e.g. piped JSON).
  if (!reportDiagnostics(result, { out: io.err, err: io.err })) return 1;
  const report = buildAccessReport(result.matrix, { cells: options.flags.cells === true });
  const text = render(format, report);
  if (out === undefined) {
    io.out(text.trimEnd());
    return 0;
  }
  const written = writeText(out, text);
  if (!written.ok) {
    io.err(`rolecall access: ${written.error}`);
    return 1;
  }
  io.err(`Wrote the access matrix (${format}, ${report.people.length} people x ${report.accounts.length} accounts) to ${out}`);
  return 0;
}

function render(format: Format, report: ReturnType<typeof buildAccessReport>): string {
  switch (format) {
    case 'json':
      return renderAccessJson(report);
    case 'html':
      return renderAccessHtml(report);
    case 'md':
      return renderAccessMarkdown(report);
  }
}
