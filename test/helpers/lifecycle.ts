/**
 * An org file's whole lifecycle against the emulator (test/helpers/emulator.ts):
 * synthesize, init once per stack, plan to a file, apply that plan, plan
 * again, and read what AWS would hold back with boto3.
 *
 * Every synth goes to the same output directory, so each stack keeps its
 * `.terraform` (one init per stack, reused across plans and applies) and
 * its local state in terraform-state/ beside it, as on a laptop.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import type { OrgPlan } from '../../src/plan/types';
import { synthesizeApp } from '../../src/stacks/app';
import { removeStaleStacks } from '../../src/cli/synth';
import { boto, gpgKey, pointAtEmulator, startEmulator, tf, writeEmulatorCliConfig, type Emulator, type Run } from './emulator';
import { mapLimit, type PlanJson } from './terraform';

export const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

/** Actions per address, as a reviewer reads them: `create`, `update`, `delete`, `delete,create`, `import`, `import,update`, `forget`, `read`. */
export type Changes = Record<string, string>;

export interface StackPlan {
  /** terraform plan -detailed-exitcode: 0 no changes, 2 changes. */
  code: number;
  /** terraform show -json, only when the plan's events could not name its changes (a replace). */
  json?: PlanJson;
  changes: Changes;
  run: Run;
}

/** Everything a plan would do, no-ops left out; imports named as such. */
export function changesOf(json: PlanJson): Changes {
  const out: Changes = {};
  for (const rc of json.resource_changes ?? []) {
    const importing = (rc.change as { importing?: unknown }).importing !== undefined;
    const actions = rc.change.actions.filter((a) => a !== 'no-op');
    if (!importing && actions.length === 0) continue;
    out[rc.address] = [...(importing ? ['import'] : []), ...actions].join(',');
  }
  return out;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- terraform's machine-readable UI */
/** The JSON lines of `terraform plan|apply -json`. */
function uiEvents(stdout: string): any[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** A failed -json command's error diagnostics, readable (and its stderr). */
function uiErrors(run: Run): string {
  const errors = uiEvents(run.stdout)
    .filter((e) => e.type === 'diagnostic' && e['@level'] === 'error')
    .map((e) => `${e.diagnostic.summary}: ${e.diagnostic.detail ?? ''}${e.diagnostic.address ? ` (${e.diagnostic.address})` : ''}`);
  return [...errors, run.stderr].join('\n');
}

/** Does a plan's `outputs` event change an output (what -detailed-exitcode counts too)? */
function outputsChange(stdout: string): boolean {
  return uiEvents(stdout).some(
    (e) => e.type === 'outputs' && Object.values<any>(e.outputs ?? {}).some((o) => o.action !== undefined && o.action !== 'noop'),
  );
}

/**
 * changesOf from a plan's `planned_change` events (terraform's machine UI:
 * action create, update, delete, replace, read, remove = forget, import =
 * an import only, move = a no-op move; `importing` on an import with changes).
 * A replace is `replaceAs` when given, else undefined: its order
 * (delete,create or create,delete) is only in show -json. Sorted by address.
 */
export function changesOfEvents(stdout: string, replaceAs?: string): Changes | undefined {
  const out: Changes = {};
  for (const e of uiEvents(stdout)) {
    if (e.type !== 'planned_change') continue;
    const { action, importing, resource } = e.change;
    let actions: string[];
    if (action === 'replace') {
      if (replaceAs === undefined) return undefined;
      actions = [replaceAs];
    } else if (action === 'import' || action === 'move' || action === 'noop') actions = [];
    else if (action === 'remove') actions = ['forget'];
    else actions = [action];
    if (!importing && actions.length === 0) continue;
    out[resource.addr] = [...(importing ? ['import'] : []), ...actions].join(',');
  }
  // In address order, as show -json lists resource_changes (the events come in the walk's order).
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export class Estate {
  readonly out: string;
  plan!: OrgPlan;
  private readonly inited = new Set<string>();

  private constructor(
    readonly em: Emulator,
    readonly gnupg: string,
    private readonly publicKey: string,
    /** Holds org.yaml, cdktf.out/ and terraform-state/ (local state, beside the output as on a laptop). */
    readonly root: string = em.dir,
  ) {
    this.out = path.join(root, 'cdktf.out');
  }

  /**
   * Another estate on the same emulator, with its own org file, output and
   * local state: a second org file whose stacks have the same names (two
   * configs of one organisation) then never reads the first one's state.
   */
  view(name: string): Estate {
    const root = path.join(this.em.dir, name);
    fs.mkdirSync(root, { recursive: true });
    return new Estate(this.em, this.gnupg, this.publicKey, root);
  }

  /** Where a stack's local state lives (deploy.backend local: terraform-state/<stack>.tfstate beside cdktf.out/). */
  localState(stack: string): string {
    return path.join(this.root, 'terraform-state', `${stack}.tfstate`);
  }

  static async start(): Promise<Estate> {
    const em = await startEmulator();
    try {
      writeEmulatorCliConfig(em.dir);
      const key = gpgKey(em.dir);
      return new Estate(em, key.home, key.publicKeyBase64);
    } catch (e) {
      await em.stop();
      throw e;
    }
  }

  stop(): Promise<void> {
    return this.em.stop();
  }

  /** The org file's text with every keybase: PGP key replaced by the harness key (keybase.io is not reachable). */
  withHarnessKeys(text: string): string {
    return text.replace(/pgpKey: keybase:[\w-]+/g, `pgpKey: ${this.publicKey}`);
  }

  /** Compiles `text` (an org file) and synthesizes it over the previous synth; returns the plan. */
  synth(text: string, edit?: (stackDir: string, stack: string) => void): OrgPlan {
    const file = path.join(this.root, 'org.yaml');
    fs.writeFileSync(file, this.withHarnessKeys(text));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { compileOrgFile } = require('../../src/plan/compile') as typeof import('../../src/plan/compile');
    const result = compileOrgFile(file);
    if (!result.plan) throw new Error(`the org file does not compile:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    this.plan = result.plan;
    synthesizeApp(result.plan, this.out);
    const ids = this.stackIds();
    removeStaleStacks(this.out, ids);
    // The ambient credentials are the management account's: the stack that assumes no role runs there.
    const masterId = result.plan.organizationStack?.account.id ?? result.plan.stacks.find((s) => !s.provider.assumeRoleArn)!.account.id;
    for (const id of ids) {
      const dir = this.dir(id);
      dropCloudBlock(dir);
      edit?.(dir, id);
      pointAtEmulator(this.em, dir, masterId);
    }
    return result.plan;
  }

  stackIds(): string[] {
    return [
      ...this.plan.stacks.map((s) => s.id),
      ...(this.plan.organizationStack ? [this.plan.organizationStack.id] : []),
      ...(this.plan.bootstrapStack ? [this.plan.bootstrapStack.id] : []),
    ];
  }

  dir(stack: string): string {
    return path.join(this.out, 'stacks', stack);
  }

  async tf(stack: string, args: string[]): Promise<Run> {
    if (!this.inited.has(stack) || !fs.existsSync(path.join(this.dir(stack), '.terraform'))) {
      const init = await tf(this.em, this.dir(stack), ['init', '-input=false', '-no-color']);
      if (init.code !== 0) throw new Error(`${stack}: terraform init exited ${init.code}\n${init.stdout}\n${init.stderr}`);
      this.inited.add(stack);
    }
    return tf(this.em, this.dir(stack), args);
  }

  /** Re-initialises a stack (its backend changed). */
  async reinit(stack: string, extra: string[] = []): Promise<Run> {
    const init = await tf(this.em, this.dir(stack), ['init', '-input=false', '-no-color', ...extra]);
    if (init.code === 0) this.inited.add(stack);
    return init;
  }

  /**
   * plan -json -detailed-exitcode to plan.bin: the changes are read from its
   * `planned_change` events (changesOfEvents), so no `show -json` (a second
   * provider start per plan) unless one is a replace, whose order only show
   * tells. Throws on a failed plan (exit 1).
   */
  async planStack(stack: string, extra: string[] = []): Promise<StackPlan> {
    const run = await this.tf(stack, ['plan', '-json', '-detailed-exitcode', '-input=false', '-out=plan.bin', ...extra]);
    if (run.code !== 0 && run.code !== 2) throw new Error(`${stack}: terraform plan exited ${run.code}\n${uiErrors(run)}`);
    if (run.code === 0) return { code: 0, changes: {}, run };
    const changes = changesOfEvents(run.stdout);
    if (changes) return { code: run.code, changes, run };
    const show = await this.tf(stack, ['show', '-json', 'plan.bin']);
    if (show.code !== 0) throw new Error(`${stack}: terraform show exited ${show.code}\n${show.stderr}`);
    const json = JSON.parse(show.stdout) as PlanJson;
    return { code: run.code, json, changes: changesOf(json), run };
  }

  /** Applies the plan.bin the last planStack wrote (no second refresh). */
  async applyPlan(stack: string): Promise<Run> {
    const run = await this.tf(stack, ['apply', '-input=false', '-no-color', '-auto-approve', 'plan.bin']);
    if (run.code !== 0) throw new Error(`${stack}: terraform apply exited ${run.code}\n${run.stdout.slice(-4000)}\n${run.stderr}`);
    return run;
  }

  /**
   * Plans and applies in one command (apply -json -auto-approve): the plan's
   * changes from its `planned_change` events, a replace named `delete,create`
   * (the events do not say which goes first; callers look for a delete).
   * For callers that assert the plan and need not see it before the apply:
   * one provider start instead of a plan, a show and an apply. `code` is 2
   * when anything changed, as plan -detailed-exitcode says.
   */
  async apply(stack: string): Promise<StackPlan> {
    const run = await this.tf(stack, ['apply', '-json', '-auto-approve', '-input=false']);
    if (run.code !== 0) throw new Error(`${stack}: terraform apply exited ${run.code}\n${uiErrors(run)}`);
    const changes = changesOfEvents(run.stdout, 'delete,create')!;
    return { code: Object.keys(changes).length > 0 || outputsChange(run.stdout) ? 2 : 0, changes, run };
  }

  /**
   * Applies stacks group by group, in the order given (docs/getting-started.md:
   * bootstrap, organization, identity, management, members), two at a time
   * within a group; each converges (plan and apply, plan again). Returns each
   * stack's plans; callers assert the second ones empty (notConverged).
   */
  async applyInOrder(groups: string[][]): Promise<Record<string, { first: StackPlan; second: StackPlan }>> {
    const out: Record<string, { first: StackPlan; second: StackPlan }> = {};
    for (const group of groups) {
      await mapLimit(group, 2, async (stack) => {
        out[stack] = await this.converge(stack);
      });
    }
    return out;
  }

  /** apply (its plan is `first`), then plan again: the second plan's result (callers assert it is empty). */
  async converge(stack: string): Promise<{ first: StackPlan; second: StackPlan }> {
    const first = await this.apply(stack);
    const second = await this.planStack(stack);
    return { first, second };
  }

  /** The stack's outputs (terraform output -json). */
  async outputs(stack: string): Promise<Record<string, { value: unknown }>> {
    const run = await this.tf(stack, ['output', '-json', '-no-color']);
    if (run.code !== 0) throw new Error(`${stack}: terraform output exited ${run.code}\n${run.stderr}`);
    return JSON.parse(run.stdout);
  }

  /* eslint-disable @typescript-eslint/no-explicit-any -- boto3 output */
  /** Runs boto3 code against the emulator as `accountId` (see emulator.ts boto). */
  boto(accountId: string, code: string): Promise<any> {
    return boto(this.em, accountId, code);
  }

  /** What IAM holds for a user: ids and everything force_destroy would remove. */
  user(accountId: string, name: string): Promise<any> {
    return this.boto(
      accountId,
      `iam = client("iam")
try:
    u = iam.get_user(UserName=${JSON.stringify(name)})["User"]
except iam.exceptions.NoSuchEntityException:
    out(None); sys.exit(0)
try:
    profile = iam.get_login_profile(UserName=u["UserName"])["LoginProfile"]["CreateDate"]
except iam.exceptions.NoSuchEntityException:
    profile = None
out({"id": u["UserId"], "arn": u["Arn"], "profile": profile,
     "keys": sorted(k["AccessKeyId"] for k in iam.list_access_keys(UserName=u["UserName"])["AccessKeyMetadata"]),
     "groups": sorted(g["GroupName"] for g in iam.list_groups_for_user(UserName=u["UserName"])["Groups"]),
     "mfa": sorted(d["SerialNumber"] for d in iam.list_mfa_devices(UserName=u["UserName"])["MFADevices"]),
     "attached": sorted(p["PolicyArn"] for p in iam.list_attached_user_policies(UserName=u["UserName"])["AttachedPolicies"]),
     "inline": sorted(iam.list_user_policies(UserName=u["UserName"])["PolicyNames"])})`,
    );
  }
}

/**
 * Why a stack's plan is not the empty plan of a converged stack, or
 * undefined when it is: the exit code under -detailed-exitcode and every
 * change (address and actions). The create and shard suites assert every
 * second plan through this; test/e2e/lifecycle-create.test.ts shows it red
 * on a stack with drift.
 */
export function notConverged(stack: string, plan: StackPlan): string | undefined {
  const changes = Object.entries(plan.changes);
  if (plan.code === 0 && changes.length === 0) return undefined;
  return `${stack}: plan exits ${plan.code} with ${changes.length} change(s)${changes.map(([a, c]) => `\n  ${c} ${a}`).join('')}`;
}

/**
 * What a plan does beyond what an edit implies, against `expected`: keys
 * are addresses or construct-id prefixes (`aws_iam_user.user-carol` names
 * `aws_iam_user_login_profile.user-carol_login-profile_A641...` too only if
 * the type matches: the key is `type.prefix`, matched up to the next `_`).
 * Lists each change no key names, each change whose actions differ, and each
 * key no change matches. Empty when the plan is exactly the edit.
 */
export function unexpectedChanges(changes: Changes, expected: Changes): string[] {
  const out: string[] = [];
  const matched = new Set<string>();
  for (const [address, actions] of Object.entries(changes)) {
    const key = Object.keys(expected).find((k) => address === k || address.startsWith(`${k}_`));
    if (key === undefined) {
      out.push(`unexpected: ${actions} ${address}`);
      continue;
    }
    matched.add(key);
    if (expected[key] !== actions) out.push(`${address}: ${actions}, expected ${expected[key]}`);
  }
  for (const [key, actions] of Object.entries(expected)) if (!matched.has(key)) out.push(`missing: ${actions} ${key}`);
  return out;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- cdk.tf.json */
/**
 * The emulator gap GAPS.SecureTransport: drops the bootstrap bucket policy's
 * `aws:SecureTransport = false` deny (asserting it was synthesized, once).
 * An edit for Estate.synth.
 */
export function withoutSecureTransportDeny(dir: string, stack: string): void {
  if (stack !== 'bootstrap') return;
  const file = path.join(dir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const policies = Object.entries<any>(json.resource.aws_s3_bucket_policy ?? {});
  if (policies.length !== 1) throw new Error(`bootstrap: expected one aws_s3_bucket_policy, found ${policies.length}`);
  const [name, resource] = policies[0];
  const policy = JSON.parse(resource.policy);
  const kept = policy.Statement.filter((s: any) => s.Condition?.Bool?.['aws:SecureTransport'] !== 'false');
  if (policy.Statement.length - kept.length !== 1) throw new Error('bootstrap: the bucket policy has no aws:SecureTransport deny');
  json.resource.aws_s3_bucket_policy[name].policy = JSON.stringify({ ...policy, Statement: kept });
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** HCP Terraform is not emulated: a stack's `cloud` block goes, and its state is local beside it (named in the tests). */
function dropCloudBlock(dir: string): void {
  const file = path.join(dir, 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!json.terraform?.cloud) return;
  delete json.terraform.cloud;
  json.terraform.backend = { local: { path: 'terraform.tfstate' } };
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

/** A config file's text. */
export function configText(name: string): string {
  return fs.readFileSync(path.join(CONFIG_DIR, name), 'utf8');
}
