/**
 * One measured phase of the benchmark, run by bench/bench.ts in a fresh
 * process (node bin/run-ts.js bench/phase.ts <phase> <args>) so that its
 * timing and peak RSS are its own. Prints one line: `BENCH {json}`.
 *
 *   validate YAML                      load + compile (compileOrgFile)
 *   plan YAML PLAN.json FLOOR.json     compile, write the plan and the floor's input (not measured)
 *   synth PLAN.json OUTDIR             synthesizeApp on a ready plan
 *   floor FLOOR.json OUTDIR            the hand-written floor app (bench/floor.ts)
 *   engine YAML                        the access engine alone (src/access/): estate from the plan, every person's closure
 *
 * The commands themselves are measured by bench.ts as separate processes
 * (`node bin/rolecall.js ...`, the compiled build), as a user runs them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { terraformLiteral } from '../src/constructs/terraform-literal';

type Result = Record<string, number | string | boolean>;

const now = (): number => Number(process.hrtime.bigint()) / 1e9;
/** CPU seconds (user + system, all threads) since `from`: steadier than wall time on a busy machine. */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

function finish(result: Result): void {
  const rss = process.resourceUsage().maxRSS; // KiB on Linux
  process.stdout.write(`BENCH ${JSON.stringify({ ...result, maxRssMiB: Math.round((rss / 1024) * 10) / 10 })}\n`);
}

function phaseValidate(file: string): void {
  const t0 = now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileOrgFile, hasErrors } = require('../src/plan/compile') as typeof import('../src/plan/compile');
  const t1 = now();
  const cpu = process.cpuUsage();
  const result = compileOrgFile(file);
  const t2 = now();
  const cpuSeconds = cpuSince(cpu);
  reportErrors(result.diagnostics);
  finish({ requireSeconds: t1 - t0, seconds: t2 - t1, cpuSeconds, ok: !hasErrors(result.diagnostics) });
}

/** The access engine on its own: what `access` and `diff` spend in it (compile not measured). */
function phaseEngine(file: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { compileOrgFile } = require('../src/plan/compile') as typeof import('../src/plan/compile');
  const { estateFromPlan, planContext } = require('../src/access/from-plan') as typeof import('../src/access/from-plan');
  const { AccessEngine } = require('../src/access/engine') as typeof import('../src/access/engine');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const result = compileOrgFile(file);
  if (!result.plan || !result.model) {
    reportErrors(result.diagnostics);
    process.exit(1);
  }
  const t0 = now();
  const cpu = process.cpuUsage();
  const estate = estateFromPlan(result.plan, planContext(result.model));
  const engine = new AccessEngine(estate);
  let cells = 0;
  for (const u of estate.users) cells += engine.person(u.arn).size;
  const seconds = now() - t0;
  finish({ seconds, cpuSeconds: cpuSince(cpu), cells, roles: estate.roles.length, people: estate.users.length });
}

function phasePlan(file: string, planOut: string, floorOut: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileOrgFile } = require('../src/plan/compile') as typeof import('../src/plan/compile');
  const result = compileOrgFile(file);
  if (!result.plan) {
    reportErrors(result.diagnostics);
    process.exit(1);
  }
  fs.writeFileSync(planOut, JSON.stringify(result.plan));
  fs.writeFileSync(floorOut, JSON.stringify(floorInput(result.plan)));
  finish({ stacks: result.plan.stacks.length });
}

function phaseSynth(planFile: string, outdir: string): void {
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
  const t0 = now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeApp } = require('../src/stacks/app') as typeof import('../src/stacks/app');
  const t1 = now();
  const cpu = process.cpuUsage();
  synthesizeApp(plan, outdir);
  const t2 = now();
  finish({ requireSeconds: t1 - t0, seconds: t2 - t1, cpuSeconds: cpuSince(cpu) });
}

function phaseFloor(floorFile: string, outdir: string): void {
  const input = JSON.parse(fs.readFileSync(floorFile, 'utf8'));
  const t0 = now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeFloor } = require('./floor') as typeof import('./floor');
  const t1 = now();
  const cpu = process.cpuUsage();
  // As synthesizeApp does (src/stacks/app.ts): a hand-written app would not
  // pay ts-node's source-mapped stack traces either, so neither side does.
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  synthesizeFloor(input, outdir);
  const t2 = now();
  finish({ requireSeconds: t1 - t0, seconds: t2 - t1, cpuSeconds: cpuSince(cpu) });
}

function reportErrors(diagnostics: { severity: string }[]): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatDiagnostic } = require('../src/model/diagnostics') as typeof import('../src/model/diagnostics');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors.slice(0, 20)) process.stderr.write(formatDiagnostic(d as never) + '\n');
  if (errors.length > 20) process.stderr.write(`... and ${errors.length - 20} more errors\n`);
}

/** The plan flattened into the floor's input: policies as ready (Terraform-escaped) JSON strings. */
function floorInput(plan: import('../src/plan/types').OrgPlan): import('./floor').FloorInput {
  const json = (doc: unknown): string => terraformLiteral(JSON.stringify(doc));
  return {
    stacks: plan.stacks.map((s) => ({
      id: s.id,
      region: s.provider.region,
      allowedAccountIds: s.provider.allowedAccountIds,
      assumeRoleArn: s.provider.assumeRoleArn,
      defaultTags: s.provider.defaultTags,
      statePath: s.backend.kind === 'local' ? s.backend.path : '',
      perUserMemberships: s.membership === 'per-user',
      groups: s.groups.map((g) => ({
        name: g.name,
        path: g.path,
        policies: g.policies.map((p) => ({ name: p.name, path: p.path, description: p.description, json: json(p.document) })),
      })),
      users: s.users.map((u) => ({
        name: u.name,
        path: u.path,
        groups: u.groups,
        tags: u.tags,
        loginPgp: u.loginProfile?.pgpKey,
        passwordLength: u.loginProfile?.passwordLength,
        keyPgp: u.accessKey?.pgpKey,
      })),
      roles: s.roles.map((r) => ({
        name: r.name,
        path: r.path,
        description: r.description,
        maxSessionDuration: r.maxSessionDuration,
        trustJson: json(r.trustPolicy),
        tags: r.tags,
        managed: r.managedPolicyArns,
        inline: r.inlinePolicies.map((i) => ({ name: i.name, json: json(i.document) })),
      })),
      passwordPolicy: s.passwordPolicy ? { ...s.passwordPolicy } : undefined,
    })),
  };
}

/** Not measured: the clean estate of a file (one IAM snapshot per account, organizations.json) for `rolecall audit --from`. */
function phaseSnapshots(file: string, dir: string): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { compileOrgFile } = require('../src/plan/compile') as typeof import('../src/plan/compile');
  const { snapshotsFromPlan, writeSnapshots } = require('../test/helpers/snapshots') as typeof import('../test/helpers/snapshots');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const result = compileOrgFile(file);
  if (!result.ok) return finish({ ok: false });
  writeSnapshots(dir, snapshotsFromPlan(result.model, result.plan));
  const bytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  finish({ ok: true, seconds: 0, cpuSeconds: 0, files: fs.readdirSync(dir).length, bytes });
}

async function run(): Promise<void> {
  const [phase, ...args] = process.argv.slice(2);
  const need = (n: number) => {
    if (args.length !== n) throw new Error(`phase ${phase} needs ${n} arguments, got ${args.length}`);
  };
  switch (phase) {
    case 'validate':
      need(1);
      return phaseValidate(path.resolve(args[0]));
    case 'plan':
      need(3);
      return phasePlan(args[0], args[1], args[2]);
    case 'synth':
      need(2);
      return phaseSynth(args[0], args[1]);
    case 'floor':
      need(2);
      return phaseFloor(args[0], args[1]);
    case 'engine':
      need(1);
      return phaseEngine(path.resolve(args[0]));
    case 'snapshots':
      need(2);
      return phaseSnapshots(args[0], args[1]);
    default:
      throw new Error(`unknown phase "${phase}" (validate, plan, synth, floor, engine, snapshots)`);
  }
}

run().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
