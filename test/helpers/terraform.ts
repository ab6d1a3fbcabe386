/**
 * Runs real Terraform against synthesized stacks, offline: providers from the
 * local filesystem mirror, fake static credentials, no API calls. What is
 * checked is Terraform's own reading of the JSON (validate) and the planned
 * values (plan -refresh=false), e.g. that `$${aws:username}` reaches AWS as
 * the literal `${aws:username}`.
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const PLUGIN_MIRROR = process.env.ROLECALL_TF_PLUGIN_MIRROR || '/opt/tf-plugins';

export type Availability = { ok: true; version: string } | { ok: false; reason: string };

/** Is there a terraform binary and an aws provider in the mirror? */
export function terraformAvailability(): Availability {
  let version: string;
  try {
    version = execFileSync('terraform', ['version', '-json'], { env: terraformEnv(), encoding: 'utf8', timeout: 30000 });
    version = JSON.parse(version).terraform_version;
  } catch (e) {
    return { ok: false, reason: `no usable \`terraform\` on PATH (${(e as Error).message.split('\n')[0]})` };
  }
  const aws = path.join(PLUGIN_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws');
  if (!fs.existsSync(aws) || fs.readdirSync(aws).length === 0) {
    return { ok: false, reason: `no hashicorp/aws provider in the filesystem mirror ${aws}` };
  }
  return { ok: true, version };
}

/**
 * true when the e2e tests can run. Without terraform: a loud warning on a
 * laptop, an exception in CI (process.env.CI), so CI can never pass by
 * silently skipping them.
 */
export function terraformOrSkip(what: string): boolean {
  const a = terraformAvailability();
  if (a.ok) return true;
  const message = `${what}: ${a.reason}. Install terraform and the hashicorp/aws provider in ${PLUGIN_MIRROR} to run them.`;
  if (process.env.CI) throw new Error(`CI is set and ${message}`);
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      `!! SKIPPED ${message}`,
      '!! The synthesized Terraform was NOT validated or planned.',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
  return false;
}

let cliConfigFile: string | undefined;

/**
 * A CLI config that installs providers from the mirror only. The host may
 * point TF_CLI_CONFIG_FILE at a file that doesn't exist; ours replaces it.
 */
export function writeCliConfig(dir: string): string {
  const file = path.join(dir, 'terraform.tfrc');
  fs.writeFileSync(file, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(PLUGIN_MIRROR)}\n  }\n}\n`);
  cliConfigFile = file;
  return file;
}

/** Terraform's environment: our CLI config, no prompts, no update check, no ambient AWS settings. */
export function terraformEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !k.startsWith('TF_')) env[k] = v;
  env.TF_IN_AUTOMATION = '1';
  env.TF_INPUT = '0';
  env.CHECKPOINT_DISABLE = '1';
  if (cliConfigFile) env.TF_CLI_CONFIG_FILE = cliConfigFile;
  else delete env.TF_CLI_CONFIG_FILE;
  return env;
}

/** The provider settings as synthesized, before the offline rewrite. */
export interface SynthesizedProvider {
  region?: string;
  allowed_account_ids?: string[];
  assume_role?: Array<{ role_arn: string; session_name?: string }>;
  default_tags?: Array<{ tags: Record<string, string> }>;
}

/**
 * Makes a stack plannable without AWS:
 * - provider_override.tf.json: fake static credentials and every skip flag,
 *   and allowed_account_ids unset: with skip_requesting_account_id the
 *   provider knows no account id and fails "AWS account ID not allowed: ".
 * - assume_role is removed from cdk.tf.json itself: it needs STS (network),
 *   and an override file cannot remove a nested block, only replace it.
 * Returns the provider block as it was synthesized.
 */
export function prepareOfflinePlan(stackDir: string): SynthesizedProvider {
  const file = path.join(stackDir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const providers: SynthesizedProvider[] = json.provider?.aws ?? [];
  if (providers.length !== 1) throw new Error(`${file}: expected one aws provider, found ${providers.length}`);
  const original: SynthesizedProvider = JSON.parse(JSON.stringify(providers[0]));
  delete (providers[0] as Record<string, unknown>).assume_role;
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  const override = {
    provider: {
      aws: {
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        secret_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: 'true',
        allowed_account_ids: null,
      },
    },
  };
  fs.writeFileSync(path.join(stackDir, 'provider_override.tf.json'), JSON.stringify(override, null, 2));
  return original;
}

export interface CommandResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export function terraform(stackDir: string, args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      args,
      { cwd: stackDir, env: terraformEnv(), maxBuffer: 256 * 1024 * 1024, timeout: 240000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ args, code, stdout, stderr: stderr || (error && !stdout ? String(error) : '') });
      },
    );
  });
}

export interface ValidateResult {
  valid: boolean;
  error_count: number;
  warning_count: number;
  diagnostics: Array<{ severity: string; summary: string; detail?: string }>;
}

export interface PlannedResource {
  address: string;
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- terraform show -json: untyped data, read by tests
  change: { actions: string[]; after: Record<string, any>; after_sensitive?: Record<string, any> };
}

export interface PlanJson {
  resource_changes?: PlannedResource[];
  output_changes?: Record<string, { actions: string[]; after_sensitive: unknown }>;
}

export interface StackRun {
  stack: string;
  provider: SynthesizedProvider;
  validate: ValidateResult;
  plan?: PlanJson;
  /** The first failed command, if any, with its output. */
  failure?: CommandResult;
}

type UiEvent = { type?: string; diagnostic?: ValidateResult['diagnostics'][number] };

/** The JSON lines of `terraform plan -json` (none from another command's output). */
function uiEvents(stdout: string): UiEvent[] {
  return stdout.split('\n').flatMap((l): UiEvent[] => {
    if (!l.startsWith('{"@level"')) return [];
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}

/** A ValidateResult from a `plan -json`'s diagnostics (plan runs validate first, warnings included). */
function planDiagnostics(stdout: string): ValidateResult {
  const diagnostics = uiEvents(stdout)
    .filter((e) => e.type === 'diagnostic')
    .map((e) => e.diagnostic!);
  const error_count = diagnostics.filter((d) => d.severity === 'error').length;
  return { valid: error_count === 0, error_count, warning_count: diagnostics.length - error_count, diagnostics };
}

function mergeValidate(a: ValidateResult, b: ValidateResult): ValidateResult {
  return {
    valid: a.valid && b.valid,
    error_count: a.error_count + b.error_count,
    warning_count: a.warning_count + b.warning_count,
    diagnostics: [...a.diagnostics, ...b.diagnostics],
  };
}

const EMPTY_VALIDATE: ValidateResult = { valid: false, error_count: -1, warning_count: -1, diagnostics: [] };

/**
 * Validates the synthesized JSON as is: `dirs[0]` whole (its resources and
 * provider), and with it every other stack's provider block as written
 * (assume_role, allowed_account_ids: what the offline rewrite removes; their
 * resources are validated by their own plans), each as an alias used by one
 * data source, in one `terraform validate` instead of one per stack. On any
 * diagnostic each stack is validated alone, so a finding names its stack.
 * Every directory is initialised first. Validate configures no provider and
 * checks each resource against the schema only, so this covers a batch whose
 * stacks' resources are dirs[0]'s or planned themselves (planStacks); see
 * test/deploy/terraform.test.ts for stacks that differ only in their
 * terraform and provider blocks.
 */
export async function validatePristine(dirs: string[]): Promise<Map<string, { validate: ValidateResult; failure?: CommandResult }>> {
  const out = new Map<string, { validate: ValidateResult; failure?: CommandResult }>();
  const one = async (dir: string): Promise<{ validate: ValidateResult; failure?: CommandResult }> => {
    const run = await terraform(dir, ['validate', '-json', '-no-color']);
    try {
      const validate: ValidateResult = JSON.parse(run.stdout);
      return run.code === 0 ? { validate } : { validate, failure: run };
    } catch {
      return { validate: EMPTY_VALIDATE, failure: run };
    }
  };
  if (dirs.length === 1) {
    out.set(dirs[0], await one(dirs[0]));
    return out;
  }
  const extra = path.join(dirs[0], 'zz_rolecall_providers.tf.json');
  const providers: Array<Record<string, unknown>> = [];
  const data: Record<string, { provider: string }> = {};
  dirs.slice(1).forEach((dir, i) => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
    for (const [j, p] of (json.provider?.aws ?? []).entries()) {
      const alias = `rolecall_check_${i}_${j}`;
      providers.push({ ...p, alias });
      data[alias] = { provider: `aws.${alias}` };
    }
  });
  fs.writeFileSync(extra, JSON.stringify({ provider: { aws: providers }, data: { aws_partition: data } }, null, 2));
  const batch = await one(dirs[0]);
  fs.rmSync(extra);
  if (!batch.failure && batch.validate.valid && batch.validate.diagnostics.length === 0) {
    for (const dir of dirs) out.set(dir, { validate: batch.validate });
    return out;
  }
  await mapLimit(dirs, 2, async (dir) => {
    if (dir !== dirs[0] && !fs.existsSync(path.join(dir, '.terraform'))) {
      const init = await terraform(dir, ['init', '-backend=false', '-input=false', '-no-color']);
      if (init.code !== 0) {
        out.set(dir, { validate: EMPTY_VALIDATE, failure: init });
        return;
      }
    }
    out.set(dir, await one(dir));
  });
  return out;
}

/**
 * For each directory: init (the local backend; plan writes no state), validate
 * (the synthesized JSON as is: validatePristine, one run for the batch), then
 * the offline rewrite, plan -json -refresh=false (its diagnostics join the
 * validate result: plan validates the rewritten files again) and show -json.
 * Stops a stack at its first failing command.
 */
export async function planStacks(stackDirs: string[], limit = 2): Promise<StackRun[]> {
  const inits = new Map<string, CommandResult>();
  await mapLimit(stackDirs, limit, async (dir) => {
    inits.set(dir, await terraform(dir, ['init', '-input=false', '-no-color']));
  });
  const ready = stackDirs.filter((dir) => inits.get(dir)!.code === 0);
  const validated = ready.length ? await validatePristine(ready) : new Map();
  return mapLimit(stackDirs, limit, async (stackDir): Promise<StackRun> => {
    const stack = path.basename(stackDir);
    const init = inits.get(stackDir)!;
    if (init.code !== 0) return { stack, provider: {}, validate: EMPTY_VALIDATE, failure: init };
    const { validate, failure } = validated.get(stackDir)!;
    if (failure) return { stack, provider: {}, validate, failure };
    const provider = prepareOfflinePlan(stackDir);
    const plan = await terraform(stackDir, ['plan', '-json', '-refresh=false', '-lock=false', '-input=false', '-out=plan.bin']);
    const planned = mergeValidate(validate, planDiagnostics(plan.stdout));
    if (plan.code !== 0) return { stack, provider, validate: planned, failure: plan };
    const show = await terraform(stackDir, ['show', '-json', 'plan.bin']);
    if (show.code !== 0) return { stack, provider, validate: planned, failure: show };
    return { stack, provider, validate: planned, plan: JSON.parse(show.stdout) };
  });
}

/** planStacks of one directory. */
export async function planStack(stackDir: string): Promise<StackRun> {
  return (await planStacks([stackDir]))[0];
}

/** Runs `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A failed command, readable in a jest failure message. */
export function describeFailure(run: StackRun): string {
  if (!run.failure) return '';
  const f = run.failure;
  const errors = uiEvents(f.stdout)
    .filter((e) => e.type === 'diagnostic' && e.diagnostic?.severity === 'error')
    .map((e) => `${e.diagnostic!.summary}: ${e.diagnostic!.detail ?? ''}`);
  return `${run.stack}: terraform ${f.args.join(' ')} exited ${f.code}\n${errors.length ? errors.join('\n') : f.stdout}\n${f.stderr}`;
}

/**
 * Every run validated with no errors or warnings, and its fresh plan only
 * creates: anything else would mean a stale or shared state.
 */
export function expectValidAndCreateOnly(runs: Iterable<StackRun>): void {
  const all = [...runs];
  expect(all.filter((r) => r.failure).map(describeFailure)).toEqual([]);
  for (const r of all) {
    expect({ stack: r.stack, valid: r.validate.valid, errors: r.validate.error_count, warnings: r.validate.warning_count }).toEqual({
      stack: r.stack,
      valid: true,
      errors: 0,
      warnings: 0,
    });
    for (const rc of r.plan!.resource_changes ?? []) expect([rc.address, rc.change.actions]).toEqual([rc.address, ['create']]);
  }
}
