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

/**
 * init (the local backend; plan writes no state), validate (the synthesized JSON as is), then the offline rewrite,
 * plan -refresh=false and show -json. Stops at the first failing command.
 */
export async function planStack(stackDir: string): Promise<StackRun> {
  const stack = path.basename(stackDir);
  const init = await terraform(stackDir, ['init', '-input=false', '-no-color']);
  const empty: ValidateResult = { valid: false, error_count: -1, warning_count: -1, diagnostics: [] };
  if (init.code !== 0) return { stack, provider: {}, validate: empty, failure: init };

  const validateRun = await terraform(stackDir, ['validate', '-json', '-no-color']);
  let validate = empty;
  try {
    validate = JSON.parse(validateRun.stdout);
  } catch {
    return { stack, provider: {}, validate, failure: validateRun };
  }
  if (validateRun.code !== 0) return { stack, provider: {}, validate, failure: validateRun };

  const provider = prepareOfflinePlan(stackDir);
  const plan = await terraform(stackDir, ['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color', '-out=plan.bin']);
  if (plan.code !== 0) return { stack, provider, validate, failure: plan };
  const show = await terraform(stackDir, ['show', '-json', 'plan.bin']);
  if (show.code !== 0) return { stack, provider, validate, failure: show };
  return { stack, provider, validate, plan: JSON.parse(show.stdout) };
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
  return `${run.stack}: terraform ${f.args.join(' ')} exited ${f.code}\n${f.stdout}\n${f.stderr}`;
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
