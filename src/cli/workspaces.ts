/**
 * `npx rolecall workspaces [--format text|json]`: what HCP Terraform needs,
 * per stack, read from the plan (src/plan/deploy.ts): the workspace name and
 * project, the working directory (the VCS-driven flow runs the committed
 * cdktf.out/stacks/<stack>), execution mode, environment variables (the
 * dynamic credentials' role ARNs) and trigger patterns. JSON for scripts
 * that create the workspaces (docs/credentials.md shows one with the tfe
 * provider). Other backends have no workspaces: it says where state lives.
 */
import * as path from 'path';
import { compileOrgFile } from '../plan/compile';
import type { DeployPlan, WorkspacePlan } from '../plan/deploy';
import type { OrgPlan } from '../plan/types';
import type { CliIo, CommandOptions } from './io';
import { stringFlag } from './args';
import { reportDiagnostics } from './validate';

export interface WorkspacesReport {
  backend: DeployPlan['backend'];
  credentials: DeployPlan['credentials'];
  /** The stack an admin applies first, locally, with their own credentials; null when nothing needs bootstrapping. */
  bootstrap: { stack: string; workingDirectory: string } | null;
  workspaces: Array<{
    stack: string;
    account: { name: string; id: string };
    workingDirectory: string;
    state: string;
    organization?: string;
    project?: string;
    workspace?: string;
    executionMode?: 'remote' | 'local';
    env?: Array<{ key: string; value: string; category: 'env' }>;
    triggerPatterns?: string[];
    /** Apply these stacks first (people shards: the identity stack); with HCP Terraform, a run trigger from each. */
    applyAfter?: string[];
  }>;
}

/** Where a stack's state is, in one line. */
function stateOf(w: WorkspacePlan): string {
  const b = w.backend;
  if (b.kind === 's3') return `s3://${b.bucket}/${b.key}`;
  if (b.kind === 'cloud') return `HCP Terraform workspace ${b.organization}/${b.workspace}`;
  return `local file ${path.posix.join(w.workingDirectory, b.path)}`;
}

export function workspacesReport(plan: OrgPlan): WorkspacesReport {
  return {
    backend: plan.deploy.backend,
    credentials: plan.deploy.credentials,
    bootstrap: plan.bootstrapStack
      ? { stack: plan.bootstrapStack.id, workingDirectory: `cdktf.out/stacks/${plan.bootstrapStack.id}` }
      : null,
    workspaces: plan.deploy.workspaces.map((w) => ({
      stack: w.stack,
      account: w.account,
      workingDirectory: w.workingDirectory,
      state: stateOf(w),
      ...(w.applyAfter ? { applyAfter: w.applyAfter } : {}),
      ...(w.cloud
        ? {
            organization: w.cloud.organization,
            project: w.cloud.project,
            workspace: w.cloud.workspace,
            executionMode: w.cloud.executionMode,
            env: Object.entries(w.cloud.env).map(([key, value]) => ({ key, value, category: 'env' as const })),
            triggerPatterns: w.cloud.triggerPatterns,
          }
        : {}),
    })),
  };
}

export function renderWorkspacesText(report: WorkspacesReport, config: string): string {
  const lines: string[] = [];
  if (report.backend !== 'cloud') {
    lines.push(`${config}: deploy.backend is ${report.backend}: no HCP Terraform workspaces. Each stack's state:`);
    for (const w of report.workspaces) {
      lines.push(`  ${w.stack.padEnd(24)} ${w.state}${w.applyAfter ? ` (apply after ${w.applyAfter.join(', ')})` : ''}`);
    }
  } else {
    const first = report.workspaces[0];
    lines.push(
      `${config}: HCP Terraform organization ${first?.organization}, project ${first?.project}, credentials ${report.credentials}.`,
    );
    lines.push('One workspace per stack:');
    for (const w of report.workspaces) {
      lines.push('', `${w.workspace}`);
      lines.push(`  stack:             ${w.stack} (account ${w.account.name}, ${w.account.id})`);
      lines.push(`  project:           ${w.project}`);
      lines.push(`  working directory: ${w.workingDirectory}`);
      lines.push(`  execution mode:    ${w.executionMode}`);
      lines.push(`  trigger patterns:  ${(w.triggerPatterns ?? []).join(', ')}`);
      if (w.applyAfter) {
        const sources = w.applyAfter.map((stack) => report.workspaces.find((o) => o.stack === stack)?.workspace ?? stack);
        lines.push(`  run triggers:      ${sources.join(', ')} (apply after it: its groups must exist)`);
      }
      if ((w.env ?? []).length > 0) {
        lines.push('  environment variables (category env):');
        for (const v of w.env ?? []) lines.push(`    ${v.key}=${v.value}`);
      }
    }
  }
  if (report.bootstrap) {
    lines.push(
      '',
      `First apply ${report.bootstrap.workingDirectory} yourself, with admin credentials in the master account (docs/credentials.md):`,
      `  cd ${report.bootstrap.workingDirectory} && terraform init && terraform apply`,
    );
  }
  return lines.join('\n');
}

export function runWorkspaces(options: CommandOptions, io: CliIo): number {
  // The parser admits only text and json (main.ts's table).
  const format = stringFlag(options, 'format') ?? 'text';
  const result = compileOrgFile(options.config);
  // Diagnostics to stderr (capped): stdout may be piped JSON.
  if (!reportDiagnostics(result, { out: io.err, err: io.err })) return 1;
  const report = workspacesReport(result.plan);
  io.out(format === 'json' ? JSON.stringify(report, null, 2) : renderWorkspacesText(report, options.config));
  return 0;
}
