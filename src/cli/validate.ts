import { formatDiagnostic } from '../model/diagnostics';
import { compileOrgFile, hasErrors, type CompileResult } from '../plan/compile';
import type { OrgPlan } from '../plan/types';
import type { CliIo, CommandOptions } from './io';

/** Prints every diagnostic (errors to stderr, notices to stdout); true when there is no error. */
export function reportDiagnostics(result: CompileResult, io: CliIo): boolean {
  for (const d of result.diagnostics) (d.severity === 'error' ? io.err : io.out)(formatDiagnostic(d));
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) io.err(`${errors} error${errors === 1 ? '' : 's'}: nothing written.`);
  return !hasErrors(result.diagnostics);
}

/** Every stack the plan synthesizes, the organization stack included when managed. */
export function stackIds(plan: OrgPlan): string[] {
  return [
    ...plan.stacks.map((s) => s.id),
    ...(plan.organizationStack ? [plan.organizationStack.id] : []),
    ...(plan.bootstrapStack ? [plan.bootstrapStack.id] : []),
  ];
}

export function runValidate(options: CommandOptions, io: CliIo): number {
  const result = compileOrgFile(options.config);
  if (!reportDiagnostics(result, io)) return 1;
  const plan = result.plan!;
  const roles = plan.stacks.reduce((n, s) => n + s.roles.length, 0);
  const stacks = stackIds(plan);
  io.out(`${options.config}: valid. ${stacks.length} stacks (${stacks.join(', ')}), ${roles} roles.`);
  return 0;
}
