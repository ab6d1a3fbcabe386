/**
 * `npx --no-install rolecall plan [STACK...] [--base GIT-REF] [--offline] [--output DIR]`:
 * the reviewer's Terraform plan, of exactly the stacks a change touches.
 * Synthesizes like `synth`, then runs `terraform init` and `terraform plan`
 * in each chosen stack's directory with the caller's own Terraform setup
 * (TF_CLI_CONFIG_FILE, a provider mirror, credentials): rolecall adds none.
 *
 * Which stacks: those named; else, with --base, those whose synthesized
 * cdk.tf.json differs between the org file at GIT-REF and the working copy
 * (new stacks included; a stack the change removes is named, not planned:
 * it has nothing left to plan); else every stack.
 *
 * --offline plans without AWS or a remote backend, for a CI job or a laptop
 * with no credentials: each stack is copied to DIR/offline-plan/<stack> with
 * local state, no assume_role, no allowed_account_ids (the provider cannot
 * learn the account without STS) and placeholder static credentials with
 * every skip flag, then planned with -refresh=false. Against an empty state,
 * so every resource shows as created: it proves the stack plans and shows
 * each resource and policy document in full. The copies are what test
 * /helpers/terraform.ts does for the e2e suites; cdktf.out itself is never
 * changed (synth --check compares it).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgBytes, compileOrgFile, type CompileResult } from '../plan/compile';
import type { OrgPlan } from '../plan/types';
import { didYouMean } from '../model/suggest';
import { stringFlag } from './args';
import { readAtRef } from './diff';
import type { CliIo, CommandOptions } from './io';
import { checkOutputDir, createOutputDir } from './paths';
import { reportDiagnostics, stackIds } from './validate';

/** Placeholders in AWS's documented example format: never real keys, and the provider never sends them offline. */
const OFFLINE_PROVIDER = {
  access_key: 'AKIAIOSFODNN7EXAMPLE',
  secret_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: 'true',
};

export interface StackChoice {
  /** Stacks to plan, in stack order. */
  plan: string[];
  /** Stacks at the base that the working copy no longer has. */
  removed: string[];
}

/** The synthesized cdk.tf.json of every stack, by stack id. */
function synthesizedStacks(plan: OrgPlan): Map<string, string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-plan-'));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthesizeApp } = require('../stacks/app') as typeof import('../stacks/app');
    synthesizeApp(plan, tmp);
    const out = new Map<string, string>();
    for (const id of stackIds(plan)) {
      const file = path.join(tmp, 'stacks', id, 'cdk.tf.json');
      if (fs.existsSync(file)) out.set(id, fs.readFileSync(file, 'utf8'));
    }
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The stacks whose Terraform differs between `before` (undefined: the file did not exist) and `after`. */
export function touchedStacks(before: OrgPlan | undefined, after: OrgPlan): StackChoice {
  const old = before ? synthesizedStacks(before) : new Map<string, string>();
  const now = synthesizedStacks(after);
  return {
    plan: [...now].filter(([id, json]) => old.get(id) !== json).map(([id]) => id),
    removed: [...old.keys()].filter((id) => !now.has(id)),
  };
}

/** A copy of one stack that plans with no AWS call and no remote backend (see the header). */
export function prepareOffline(stackDir: string, target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    terraform?: Record<string, unknown>;
    provider?: { aws?: Array<Record<string, unknown>> };
  };
  if (json.terraform) {
    delete json.terraform.backend;
    delete json.terraform.cloud;
  }
  for (const provider of json.provider?.aws ?? []) {
    // An override file can replace a nested block but not remove it, so the copy drops these itself.
    delete provider.assume_role;
    delete provider.allowed_account_ids;
    Object.assign(provider, OFFLINE_PROVIDER);
  }
  fs.writeFileSync(path.join(target, 'cdk.tf.json'), JSON.stringify(json, null, 2));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function terraform(args: string[], cwd: string): Run {
  const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  const r = spawnSync('terraform', args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    return { code: 127, stdout: '', stderr: missing ? 'terraform is not installed (or not on PATH)' : r.error.message };
  }
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Terraform's one-line verdict: "Plan: 3 to add, 0 to change, 0 to destroy." or "No changes.". */
export function planSummary(stdout: string): string {
  const plan = /^Plan: .*$/m.exec(stdout);
  if (plan) return plan[0];
  return /^No changes\./m.test(stdout) ? 'No changes.' : 'no summary (see the output above)';
}

export function runPlan(options: CommandOptions, io: CliIo): number {
  const outdir = stringFlag(options, 'output') ?? 'cdktf.out';
  const base = stringFlag(options, 'base');
  const offline = options.flags.offline === true;
  const target = checkOutputDir('--output', outdir);
  if (!target.ok) {
    io.err(`rolecall plan: ${target.error}`);
    return 2;
  }
  if (base !== undefined && options.args.length > 0) {
    io.err('rolecall plan: give STACK names or --base, not both (--base picks the stacks the change touches)');
    return 2;
  }
  if (base?.startsWith('-')) {
    io.err(`rolecall plan: --base ${JSON.stringify(base)} is not a git ref (a ref cannot start with "-")`);
    return 2;
  }
  const atBase = base === undefined ? undefined : readAtRef(base, options.config);
  const current = compileOrgFile(options.config);
  if (!reportDiagnostics(current, { out: io.err, err: io.err })) return 1;
  const all = stackIds(current.plan);

  let choice: StackChoice = { plan: all, removed: [] };
  if (options.args.length > 0) {
    for (const name of options.args) {
      if (all.includes(name)) continue;
      const near = didYouMean(name, all);
      io.err(`rolecall plan: no stack "${name}"${near ? `; ${near}` : ''} (stacks: ${all.join(', ')})`);
      return 2;
    }
    choice = { plan: all.filter((id) => options.args.includes(id)), removed: [] };
  } else if (atBase !== undefined) {
    if (atBase.kind === 'error') {
      io.err(`rolecall plan: ${atBase.error}`);
      return atBase.code;
    }
    let before: Extract<CompileResult, { ok: true }> | undefined;
    if (atBase.kind === 'file') {
      const old = compileOrgBytes(atBase.bytes, `${base}:${options.config}`);
      if (!old.ok) {
        io.err(`rolecall plan: the file at ${base} does not validate:`);
        reportDiagnostics({ ...old, diagnostics: old.diagnostics.filter((d) => d.severity === 'error') }, io);
        return 1;
      }
      before = old;
    }
    choice = touchedStacks(before?.plan, current.plan);
  }

  // Synthesize as `synth` does: the online plans run in DIR/stacks/<stack>, where the backend paths point.
  const created = createOutputDir('--output', outdir);
  if (!created.ok) {
    io.err(`rolecall plan: ${created.error}`);
    return 1;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeApp } = require('../stacks/app') as typeof import('../stacks/app');
  synthesizeApp(current.plan, outdir);

  const against = base === undefined ? '' : ` (touched since ${base})`;
  if (choice.removed.length > 0)
    io.out(
      `Removed by this change, not planned: ${choice.removed.join(', ')} (destroy each from the base first: docs/reviewing-changes.md)`,
    );
  if (choice.plan.length === 0) {
    io.out(`No stack's Terraform changes${against}: nothing to plan.`);
    return 0;
  }
  io.out(`Planning ${choice.plan.length} of ${all.length} stacks${against}${offline ? ', offline' : ''}: ${choice.plan.join(', ')}`);

  const remote = new Set(current.plan.deploy.workspaces.filter((w) => w.backend.kind === 'cloud').map((w) => w.stack));
  const results: Array<{ stack: string; summary: string; ok: boolean }> = [];
  for (const stack of choice.plan) {
    const stackDir = path.join(outdir, 'stacks', stack);
    let dir = stackDir;
    if (offline) {
      dir = path.join(outdir, 'offline-plan', stack);
      prepareOffline(stackDir, dir);
    }
    io.out(`\n== ${stack}${offline ? ` (offline copy in ${dir})` : ''}`);
    const init = terraform(['init', '-input=false', '-no-color'], dir);
    if (init.code !== 0) {
      io.err(init.stdout.trim());
      io.err(init.stderr.trim());
      results.push({ stack, summary: `terraform init failed (exit ${init.code})`, ok: false });
      continue;
    }
    // A plan writes nothing, so it takes no state lock (HCP Terraform's speculative plans lock nothing either).
    const args = ['plan', '-input=false', '-no-color', ...(remote.has(stack) && !offline ? [] : ['-lock=false'])];
    if (offline) args.push('-refresh=false');
    const run = terraform(args, dir);
    io.out(run.stdout.trimEnd());
    if (run.code !== 0) {
      io.err(run.stderr.trim());
      results.push({ stack, summary: `terraform plan failed (exit ${run.code})`, ok: false });
    } else results.push({ stack, summary: planSummary(run.stdout), ok: true });
  }

  io.out('\nSummary');
  for (const r of results) io.out(`  ${r.stack}: ${r.summary}`);
  if (offline) io.out('  (offline: planned against an empty state, so every resource shows as created)');
  return results.every((r) => r.ok) ? 0 : 1;
}
