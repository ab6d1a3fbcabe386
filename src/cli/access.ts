/**
 * `npx rolecall access [--format md|json|html] [--out FILE] [--cells]`: the
 * person x account access matrix, from the plan layer (never the synthesized
 * JSON). JSON is compact (schema 3); `--cells` also writes every person x
 * account cell out, which grows with people x accounts.
 * Refuses, like synth, when the file has errors: a guardrail breach included.
 */
import { writeFileSync } from 'fs';
import { compileOrgFile } from '../plan/compile';
import { buildAccessMatrix } from '../plan/access';
import { buildAccessReport, renderAccessJson } from '../report/access-json';
import { renderAccessMarkdown } from '../report/access-markdown';
import { renderAccessHtml } from '../report/access-html';
import type { CliIo, CommandOptions } from './io';
import { reportDiagnostics } from './validate';

export const ACCESS_FORMATS = ['md', 'json', 'html'] as const;
type Format = (typeof ACCESS_FORMATS)[number];

export function runAccess(options: CommandOptions, io: CliIo): number {
  const format = options.flags.format ?? 'md';
  if (typeof format !== 'string' || !(ACCESS_FORMATS as readonly string[]).includes(format)) {
    io.err(`rolecall access: --format must be one of ${ACCESS_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    return 2;
  }
  const out = options.flags.out;
  if (out !== undefined && typeof out !== 'string') {
    io.err('rolecall access: --out needs a file name');
    return 2;
  }
  const result = compileOrgFile(options.config);
  // Notices go to stderr too: stdout may be the report itself (e.g. piped JSON).
  if (!reportDiagnostics(result, { out: io.err, err: io.err })) return 1;
  const report = buildAccessReport(result.matrix ?? buildAccessMatrix(result.model!), { cells: options.flags.cells === true });
  const text = render(format as Format, report);
  if (out === undefined) {
    io.out(text.trimEnd());
  } else {
    writeFileSync(out, text);
    io.err(`Wrote the access matrix (${format}, ${report.people.length} people x ${report.accounts.length} accounts) to ${out}`);
  }
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
