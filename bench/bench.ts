/**
 * `npm run bench`: how rolecall scales, against the floor of a hand-written
 * CDKTF app emitting the same resources. Not a test: it prints figures and
 * PASS/MISS per target, and exits non-zero only when a phase fails.
 *
 *   npm run bench -- [--size bench|large|both] [--rounds 2] [--no-plan] [--plan-timeout 900] [--keep]
 *   npm run bench -- [--accounts 300] [--functions 20] [--people 2000] [--seed N]   (one custom size)
 *   npm run bench -- --startup-only                     (start-up figures of the compiled CLI alone)
 *   npm run bench -- --audit-only [--size bench]        (rolecall audit --from DIR alone, issue 21)
 *
 * By default both sizes of issue 12: 300 accounts x 2,000 people (the bench
 * size) and 1,000 accounts x 5,000 people (IAM's users-per-account limit),
 * each command end to end, the largest stack and its offline plan time.
 *
 * Every command runs as a user runs it, `node bin/rolecall.js ...` on the
 * compiled build, and is measured whole (GNU time: wall, CPU, peak RSS).
 * The in-process phases (validate, synthesizeApp, the hand-written floor)
 * each run in their own child process (bench/phase.ts), so their time and
 * peak RSS are not polluted by the others or by this one.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_GEN, generateChangedOrgYaml, generateOrgYaml, type GenOptions } from './gen';

const ROOT = path.resolve(__dirname, '..');
const TARGETS = {
  synthOverFloor: 1.3,
  validateSeconds: 1,
  accessJsonSeconds: 3,
  accessJsonMiB: 20,
  diffSeconds: 2,
  /** rolecall audit --from DIR at the bench size (issue 21). */
  auditSeconds: 10,
  auditMiB: 500,
  /** At the large size: every command. */
  largeSeconds: 60,
  largeMiB: 2048,
  stackResources: 1000,
};
/** Start-up, end to end as a user runs them (npx included), in seconds of wall time. */
const STARTUP_TARGETS = { help: 0.3, validateExample: 0.6, validateBench: 1 };

/** The two sizes of issue 12: the bench size, and 1,000 accounts at IAM's 5,000 users per account. */
const SIZES: Array<{ label: string; gen: GenOptions; small: boolean }> = [
  { label: 'bench size', gen: { ...DEFAULT_GEN }, small: true },
  { label: 'large', gen: { ...DEFAULT_GEN, accounts: 1000, people: 5000 }, small: false },
];

interface PhaseResult {
  seconds: number; // wall time of the measured work
  cpuSeconds: number; // CPU time of the measured work (user + system, all threads)
  requireSeconds?: number;
  maxRssMiB: number;
  ok?: boolean;
  wallSeconds: number; // the whole child process, node and ts-node start included
  outBytes?: number;
  outLines?: number;
  /** The snapshots phase: files and bytes written. */
  files?: number;
  bytes?: number;
}

interface Options {
  sizes: Array<{ label: string; gen: GenOptions; small: boolean }>;
  rounds: number;
  keep: boolean;
  plan: boolean;
  planTimeout: number;
  startupOnly: boolean;
  auditOnly: boolean;
}

function parseArgs(argv: string[]): Options {
  const gen = { ...DEFAULT_GEN };
  let custom = false;
  let rounds = 2;
  let keep = false;
  let plan = true;
  let planTimeout = 900;
  let only: string | undefined;
  let startupOnly = false;
  let auditOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a whole number`);
      return n;
    };
    if (flag === '--accounts') {
      gen.accounts = value();
      custom = true;
    } else if (flag === '--functions') {
      gen.functions = Math.min(value(), 20);
      custom = true;
    } else if (flag === '--people') {
      gen.people = value();
      custom = true;
    } else if (flag === '--seed') gen.seed = value();
    else if (flag === '--rounds') rounds = Math.max(1, value());
    else if (flag === '--keep') keep = true;
    else if (flag === '--no-plan') plan = false;
    else if (flag === '--plan-timeout') planTimeout = value();
    else if (flag === '--size') only = argv[++i];
    else if (flag === '--startup-only') startupOnly = true;
    else if (flag === '--audit-only') auditOnly = true;
    else throw new Error(`unknown flag ${flag}`);
  }
  let sizes = SIZES.map((s) => ({ ...s, gen: { ...s.gen, seed: gen.seed } }));
  if (custom) sizes = [{ label: 'custom', gen, small: gen.accounts <= 300 && gen.people <= 2000 }];
  else if (only === 'bench' || only === 'small') sizes = sizes.slice(0, 1);
  else if (only === 'large') sizes = sizes.slice(1);
  else if (only !== undefined && only !== 'both') throw new Error('--size must be bench, large or both');
  return { sizes, rounds, keep, plan, planTimeout, startupOnly, auditOnly };
}

function runPhase(phase: string, ...args: string[]): PhaseResult {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'run-ts.js'), path.join(ROOT, 'bench', 'phase.ts'), phase, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const line = child.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (child.status !== 0 || !line) {
    process.stderr.write(`bench: phase ${phase} failed (exit ${child.status})\n${child.stderr}${child.stdout}`);
    process.exit(1);
  }
  const result = { ...JSON.parse(line.slice('BENCH '.length)), wallSeconds } as PhaseResult;
  if (result.ok === false) {
    process.stderr.write(`bench: phase ${phase} reported errors\n${child.stderr}`);
    process.exit(1);
  }
  return result;
}

/**
 * One `rolecall` command as a user runs it: `node bin/rolecall.js ARGS` from
 * CWD, the compiled build (dist/), the whole process measured by GNU time
 * (node start and module loading included). diff's gate exit (3) counts as done.
 */
function runCommand(cwd: string, args: string[]): PhaseResult {
  const started = process.hrtime.bigint();
  const child = spawnSync(TIME, ['-f', 'BENCHTIME %e %U %S %M', process.execPath, path.join(ROOT, 'bin', 'rolecall.js'), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const m = /BENCHTIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(child.stderr ?? '');
  const ok = child.status === 0 || (args[0] === 'diff' && child.status === 3);
  if (!ok || !m) {
    process.stderr.write(`bench: rolecall ${args.join(' ')} failed (exit ${child.status ?? child.signal})\n${child.stderr ?? ''}`);
    process.exit(1);
  }
  const out = child.stdout ?? '';
  return {
    seconds,
    cpuSeconds: Number(m[2]) + Number(m[3]),
    maxRssMiB: Number(m[4]) / 1024,
    wallSeconds: seconds,
    outBytes: Buffer.byteLength(out),
    outLines: out === '' ? 0 : out.replace(/\n$/, '').split('\n').length,
  };
}

/** GNU time: each command's CPU and peak RSS (the offline plan uses it too). */
const TIME = '/usr/bin/time';

/** The fastest round (least disturbed by the machine) for each figure, with the highest peak seen. */
function best(results: PhaseResult[]): PhaseResult {
  const min = (f: (r: PhaseResult) => number) => Math.min(...results.map(f));
  return {
    ...results[0],
    seconds: min((r) => r.seconds),
    cpuSeconds: min((r) => r.cpuSeconds),
    requireSeconds: results[0].requireSeconds === undefined ? undefined : min((r) => r.requireSeconds ?? 0),
    wallSeconds: min((r) => r.wallSeconds),
    maxRssMiB: Math.max(...results.map((r) => r.maxRssMiB)),
  };
}

interface Counts {
  stacks: number;
  total: number;
  max: number;
  maxStack: string;
  byType: Record<string, number>;
  bytes: number;
  /** Per kind of stack (`account-*`, `people-*`, then each other stack by name): the largest and how many. */
  kinds: Array<{ kind: string; stack: string; max: number; count: number }>;
}

/** `account-prod-001` -> `account-*`, `people-3` -> `people-*`; the identity, master, organization and bootstrap stacks are their own kind. */
function stackKind(stack: string): string {
  if (/^people-\d+$/.test(stack)) return 'people-*';
  if (stack.startsWith('account-')) return 'account-*';
  return stack;
}

function countResources(outdir: string): Counts {
  const stacksDir = path.join(outdir, 'stacks');
  const counts: Counts = { stacks: 0, total: 0, max: 0, maxStack: '', byType: {}, bytes: 0, kinds: [] };
  const kinds = new Map<string, Counts['kinds'][number]>();
  for (const stack of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, stack, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    counts.bytes += text.length;
    const resources = (JSON.parse(text).resource ?? {}) as Record<string, Record<string, unknown>>;
    let n = 0;
    for (const [type, byName] of Object.entries(resources)) {
      const k = Object.keys(byName).length;
      counts.byType[type] = (counts.byType[type] ?? 0) + k;
      n += k;
    }
    counts.stacks++;
    counts.total += n;
    if (n > counts.max) {
      counts.max = n;
      counts.maxStack = stack;
    }
    const kind = kinds.get(stackKind(stack)) ?? { kind: stackKind(stack), stack, max: n, count: 0 };
    kind.count++;
    if (n > kind.max) Object.assign(kind, { stack, max: n });
    kinds.set(kind.kind, kind);
  }
  counts.kinds = [...kinds.values()].sort((a, b) => b.max - a.max || (a.kind < b.kind ? -1 : 1));
  return counts;
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

interface CommandTiming {
  best: number;
  median: number;
  /** user + system of the whole process tree, median of the runs. */
  cpu: number;
}

/**
 * One command as a user types it (`npx rolecall help`): the whole process,
 * npm's own start included, from `cwd` (the repository root). Best and
 * median of `runs`; a failed run stops the bench.
 */
function timeCommand(args: string[], runs: number, cwd = ROOT, env: NodeJS.ProcessEnv = {}): CommandTiming {
  const times: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    // bash's `time` reports the CPU of the whole process tree (npm, sh, node), which a busy machine does not inflate much.
    const child = spawnSync('bash', ['-c', 'TIMEFORMAT="CPU %3U %3S"; time npx "$@" >/dev/null', 'bench', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false', ...env },
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    const cpu = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(child.stderr);
    if (child.status !== 0 || !cpu) {
      process.stderr.write(`bench: npx ${args.join(' ')} failed (exit ${child.status})\n${child.stderr}`);
      process.exit(1);
    }
    cpus.push(Number(cpu[1]) + Number(cpu[2]));
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return { best: Math.min(...times), median: median(times), cpu: median(cpus) };
}

/**
 * Where `npx rolecall` runs this checkout's build: the repository root, as
 * a user runs it, when its node_modules/.bin/rolecall is this checkout's
 * bin. A git worktree sharing another checkout's node_modules would run
 * that checkout's build instead: then a throwaway project whose only bin is
 * this checkout's (npx finds a local bin the same way), with a note.
 */
function npxProject(): { cwd: string; note?: string; cleanup: () => void } {
  const ours = fs.realpathSync(path.join(ROOT, 'bin', 'rolecall.js'));
  let linked: string | undefined;
  try {
    linked = fs.realpathSync(path.join(ROOT, 'node_modules', '.bin', 'rolecall'));
  } catch {
    linked = undefined;
  }
  if (linked === ours) return { cwd: ROOT, cleanup: () => undefined };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-npx-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'rolecall-bench-npx', version: '0.0.0', private: true }));
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  fs.symlinkSync(ours, path.join(dir, 'node_modules', '.bin', 'rolecall'));
  return {
    cwd: dir,
    note: `node_modules/.bin/rolecall here is ${linked ?? 'missing'}, not this checkout's: npx ran from ${dir}, whose only bin is ${ours}`,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * npm's own floor: `npx` of an empty bin, found the same way as rolecall
 * (a local node_modules/.bin), once as a shell script (npm alone) and once
 * as a node script (npm, then node's own start). No rolecall figure can go
 * below the second; the bench prints it beside the targets.
 */
function npxFloor(): { npm: CommandTiming; npmNode: CommandTiming } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-npx-floor-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'npx-floor', version: '0.0.0', private: true }));
    const bin = path.join(dir, 'node_modules', '.bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'floor-sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'floor-node'), '#!/usr/bin/env node\n', { mode: 0o755 });
    timeCommand(['floor-node'], 1, dir); // warm the file system cache; not counted
    return { npm: timeCommand(['floor-sh'], 7, dir), npmNode: timeCommand(['floor-node'], 7, dir) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The three start-up figures of the compiled CLI, against their targets, and
 * npm's floor beside them. True when every median meets its target (wall
 * time, as a user waits for it).
 */
function startup(yamlFile: string, people: number): boolean {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    process.stderr.write('bench: dist/ is missing; run `npm run build` (npm run bench does)\n');
    process.exit(1);
  }
  const project = npxProject();
  const config = path.join(ROOT, 'config', 'org.yaml');
  let rows: [string, CommandTiming, number][];
  let cold: CommandTiming;
  let floor: ReturnType<typeof npxFloor>;
  try {
    timeCommand(['rolecall', 'help'], 1, project.cwd); // warm the file system cache; not counted
    // Unmeasured: the example's first validate writes nothing today, but a cold disk cache would count against it.
    timeCommand(['rolecall', 'validate', '--config', config], 1, project.cwd);
    rows = [
      ['npx rolecall help', timeCommand(['rolecall', 'help'], 7, project.cwd), STARTUP_TARGETS.help],
      [
        'npx rolecall validate (config/org.yaml)',
        timeCommand(['rolecall', 'validate', '--config', config], 5, project.cwd),
        STARTUP_TARGETS.validateExample,
      ],
      [
        `npx rolecall validate (${people} people)`,
        timeCommand(['rolecall', 'validate', '--config', yamlFile], 5, project.cwd),
        STARTUP_TARGETS.validateBench,
      ],
    ];
    // Not judged: the example as on its very first run, its permission-set analyses not kept from an earlier one (dist/cache).
    cold = timeCommand(['rolecall', 'validate', '--config', config], 3, project.cwd, { ROLECALL_ANALYSIS_CACHE: '0' });
    floor = npxFloor();
  } finally {
    project.cleanup();
  }
  const base = floor.npmNode.median;
  console.log('');
  console.log(
    `${pad('start-up, end to end', 44)} ${lpad('best s', 7)} ${lpad('median s', 8)} ${lpad('cpu s', 6)} ${lpad('target', 7)} ${lpad('over floor', 10)}`,
  );
  for (const [name, t, target] of rows) {
    console.log(
      `${pad(name, 44)} ${lpad(fmt(t.best), 7)} ${lpad(fmt(t.median), 8)} ${lpad(fmt(t.cpu), 6)} ${lpad(`< ${target}`, 7)} ${lpad(`+${fmt(Math.max(0, t.median - base))}`, 10)}  ` +
        `${t.median < target ? 'PASS' : 'MISS'} wall, ${t.cpu < target ? 'PASS' : 'MISS'} cpu`,
    );
  }
  for (const [name, t] of [
    ['validate (config/org.yaml), nothing kept', cold],
    ["npm's floor: npx of an empty sh bin", floor.npm],
    ["npm's floor: npx of an empty node bin", floor.npmNode],
  ] as const) {
    console.log(`${pad(name, 44)} ${lpad(fmt(t.best), 7)} ${lpad(fmt(t.median), 8)} ${lpad(fmt(t.cpu), 6)}`);
  }
  console.log(
    '  wall time of the whole command (npm exec, node start, compiled dist/), best and median of 7, 5 and 5 runs; PASS/MISS on the',
  );
  console.log("  median; cpu = user + system of the whole process tree, median: on a busy machine trust cpu. 'over floor' = median");
  console.log("  less npm's floor with node (npx of an empty node bin): what rolecall itself costs; no figure can go below that floor.");
  for (const [name, , target] of rows) {
    if (base >= target) console.log(`  ${name}: the target (${target} s) is below npm's own floor on this machine (${fmt(base)} s).`);
  }
  if (project.note) console.log(`  note: ${project.note}`);
  return rows.every(([, t, target]) => t.median < target);
}
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

interface PlanFigure {
  stack: string;
  resources: number;
  seconds?: number;
  maxRssMiB?: number;
  error?: string;
}

/** Offline `terraform plan -refresh=false` of one synthesized stack (a copy), as test/helpers/terraform.ts runs it. */
function planStackOffline(
  stackDir: string,
  work: string,
  timeoutSeconds: number,
): { seconds?: number; maxRssMiB?: number; error?: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('../test/helpers/terraform') as typeof import('../test/helpers/terraform');
  fs.cpSync(stackDir, work, { recursive: true });
  // Before the availability probe: the helper keeps the last CLI config path, and the previous size's folder is gone.
  tf.writeCliConfig(work);
  if (!tf.terraformAvailability().ok) return { error: 'no terraform or aws provider mirror' };
  const env = tf.terraformEnv();
  const run = (args: string[], limit: number) =>
    spawnSync('/usr/bin/time', ['-f', 'BENCHTIME %e %M', 'terraform', ...args], {
      cwd: work,
      env,
      encoding: 'utf8',
      timeout: limit * 1000,
      maxBuffer: 512 * 1024 * 1024,
    });
  const init = run(['init', '-input=false', '-no-color'], 300);
  if (init.status !== 0) return { error: `terraform init failed: ${(init.stderr || '').slice(-400)}` };
  tf.prepareOfflinePlan(work);
  const plan = run(['plan', '-refresh=false', '-lock=false', '-input=false', '-no-color'], timeoutSeconds);
  if (plan.error || plan.signal) return { error: `terraform plan stopped after ${timeoutSeconds} s` };
  if (plan.status !== 0) return { error: `terraform plan failed: ${(plan.stderr || '').slice(-400)}` };
  const m = /BENCHTIME ([\d.]+) (\d+)/.exec(plan.stderr);
  return m ? { seconds: Number(m[1]), maxRssMiB: Number(m[2]) / 1024 } : { error: 'no timing from /usr/bin/time' };
}

/** `--audit-only`: the clean estate's snapshots (unmeasured), then `rolecall audit --from DIR` measured, against its target. */
function auditAlone(dir: string, yamlFile: string, size: Options['sizes'][number], rounds: number): boolean {
  const snapshotDir = path.join(dir, 'snapshots');
  const snapshots = runPhase('snapshots', yamlFile, snapshotDir);
  const runs = size.small ? Math.max(3, rounds) : 1;
  const audit = best(
    [...Array(runs)].map(() =>
      runCommand(dir, ['audit', '--from', snapshotDir, '--format', 'json', '--out', path.join(dir, 'audit.json'), '--config', yamlFile]),
    ),
  );
  const [seconds, mib] = size.small ? [TARGETS.auditSeconds, TARGETS.auditMiB] : [TARGETS.largeSeconds, TARGETS.largeMiB];
  const ok = audit.seconds <= seconds && audit.maxRssMiB < mib;
  console.log('');
  console.log(`${pad('rolecall, end to end', 27)} ${lpad('wall s', 7)} ${lpad('cpu s', 7)} ${lpad('peak MiB', 8)}  note`);
  console.log(
    `${pad('audit --from DIR', 27)} ${lpad(fmt(audit.seconds), 7)} ${lpad(fmt(audit.cpuSeconds), 7)} ${lpad(fmt(audit.maxRssMiB, 0), 8)}  ` +
      `${String(snapshots.files)} snapshots, ${fmt(Number(snapshots.bytes) / 1e6, 1)} MB${runs > 1 ? `, best of ${runs}` : ''}`,
  );
  console.log('');
  console.log('targets:');
  console.log(
    `  ${pad(`audit --from <= ${seconds} s, < ${mib} MB`, 40)} ${ok ? 'PASS' : 'MISS'}  ` +
      `${fmt(audit.seconds)} s wall, ${fmt(audit.cpuSeconds)} s cpu, ${fmt(audit.maxRssMiB, 0)} MiB`,
  );
  return ok;
}

function runSize(size: Options['sizes'][number], options: Options): boolean {
  const { gen } = size;
  const rounds = size.small ? options.rounds : 1;
  const started = Date.now();
  const loadBefore = os.loadavg()[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-bench-'));
  const yamlFile = path.join(dir, 'org.yaml');
  const yaml = generateOrgYaml(gen);
  fs.writeFileSync(yamlFile, yaml);
  console.log(
    `== ${size.label}: ${gen.accounts} accounts, ${gen.functions} functions, ${gen.people} people (seed ${gen.seed}); ` +
      `org file ${yaml.split('\n').length} lines, ${fmt(yaml.length / 1024, 0)} KiB; ${rounds} round(s); node ${process.version}`,
  );

  const startupMet = size.small && !options.auditOnly ? startup(yamlFile, gen.people) : true;
  if (options.startupOnly) {
    console.log(`\nmachine: ${os.cpus().length} CPUs, load average ${fmt(loadBefore, 1)} at start, ${fmt(os.loadavg()[0], 1)} at end`);
    fs.rmSync(dir, { recursive: true, force: true });
    return startupMet;
  }

  if (!fs.existsSync(TIME) || !fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    process.stderr.write(`bench: needs GNU time at ${TIME} and the compiled build in dist/ (npm run bench builds it)\n`);
    process.exit(1);
  }
  // One unmeasured run first: it builds the IAM catalog cache (dist/cache, see src/iam/cache.ts) if missing.
  runPhase('validate', yamlFile);
  if (options.auditOnly) {
    const met = auditAlone(dir, yamlFile, size, rounds);
    console.log(`\nmachine: ${os.cpus().length} CPUs, load average ${fmt(loadBefore, 1)} at start, ${fmt(os.loadavg()[0], 1)} at end`);
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
    return met;
  }
  const validateRuns = [...Array(size.small ? Math.max(3, rounds) : 1)].map(() => runPhase('validate', yamlFile));
  const validate = best(validateRuns);
  runPhase('plan', yamlFile, path.join(dir, 'plan.json'), path.join(dir, 'floor.json'));

  const synthRuns: PhaseResult[] = [];
  const floorRuns: PhaseResult[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const out of ['out-synth', 'out-floor']) fs.rmSync(path.join(dir, out), { recursive: true, force: true });
    synthRuns.push(runPhase('synth', path.join(dir, 'plan.json'), path.join(dir, 'out-synth')));
    floorRuns.push(runPhase('floor', path.join(dir, 'floor.json'), path.join(dir, 'out-floor')));
  }
  const synth = best(synthRuns);
  const floor = best(floorRuns);
  // The access engine alone (issue 16): its share of `access` and `diff`, printed beside their targets.
  const engineRun = runPhase('engine', yamlFile);
  // Every command end to end, as a user runs it (compiled build, whole process). The figures with a target
  // at the bench size get the best of several runs; the rest, and the large size, one run each.
  const targetRuns = size.small ? Math.max(3, rounds) : 1;
  const repeat = (n: number, f: () => PhaseResult): PhaseResult => best([...Array(n)].map(f));
  const validateCli = repeat(targetRuns, () => runCommand(dir, ['validate', '--config', yamlFile]));
  const cliOut = path.join(dir, 'out-cli');
  const cli = runCommand(dir, ['synth', '--config', yamlFile, '--output', cliOut]);
  const synthCheck = runCommand(dir, ['synth', '--check', '--config', yamlFile, '--output', cliOut]);
  const jsonFile = path.join(dir, 'access.json');
  const accessJson = repeat(targetRuns, () => runCommand(dir, ['access', '--format', 'json', '--out', jsonFile, '--config', yamlFile]));
  const jsonBytes = fs.statSync(jsonFile).size;
  const mdFile = path.join(dir, 'access.md');
  const accessMd = runCommand(dir, ['access', '--format', 'md', '--out', mdFile, '--config', yamlFile]);
  const htmlFile = path.join(dir, 'access.html');
  const accessHtml = runCommand(dir, ['access', '--format', 'html', '--out', htmlFile, '--config', yamlFile]);
  const explainCell = runCommand(dir, ['explain', 'user0001', 'prod-001', '--config', yamlFile]);
  const explainPerson = runCommand(dir, ['explain', 'user0001', '--config', yamlFile]);
  const awsConfig = runCommand(dir, ['aws-config', 'user0001', '--config', yamlFile]);
  const workspaces = runCommand(dir, ['workspaces', '--config', yamlFile]);
  const repo = path.join(dir, 'repo');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'org.yaml'), yaml);
  git(repo, 'init', '-q');
  git(repo, 'add', 'org.yaml');
  git(repo, 'commit', '-q', '-m', 'base');
  const changed = generateChangedOrgYaml(gen);
  fs.writeFileSync(path.join(repo, 'org.yaml'), changed.yaml);
  const diff = repeat(targetRuns, () => runCommand(repo, ['diff', '--base', 'HEAD', '--config', 'org.yaml']));
  // audit --from: the clean estate of the file, one snapshot per account (written unmeasured).
  const snapshotDir = path.join(dir, 'snapshots');
  const snapshots = runPhase('snapshots', yamlFile, snapshotDir);
  const audit = repeat(targetRuns, () =>
    runCommand(dir, ['audit', '--from', snapshotDir, '--format', 'json', '--out', path.join(dir, 'audit.json'), '--config', yamlFile]),
  );

  const ours = countResources(path.join(dir, 'out-synth'));
  const theirs = countResources(path.join(dir, 'out-floor'));
  const sameResources =
    ours.total === theirs.total && Object.keys({ ...ours.byType, ...theirs.byType }).every((t) => ours.byType[t] === theirs.byType[t]);

  const phaseRows: [string, PhaseResult, string][] = [
    ['validate (load + compile)', validate, `best of ${validateRuns.length}`],
    ['synth (synthesizeApp)', synth, `${ours.stacks} stacks, best of ${rounds}`],
    ['floor (bench/floor.ts)', floor, `${theirs.stacks} stacks, best of ${rounds}`],
  ];
  const of = (n: number) => (n > 1 ? `, best of ${n}` : '');
  const commandRows: [string, PhaseResult, string][] = [
    ['validate', validateCli, `${of(targetRuns).slice(2)}`],
    ['synth', cli, `${ours.stacks} stacks written`],
    ['synth --check', synthCheck, 'against what synth wrote'],
    ['access --format json', accessJson, `${fmt(jsonBytes / 1e6, 1)} MB${of(targetRuns)}`],
    ['access --format md', accessMd, `${fmt(fs.statSync(mdFile).size / 1e6, 1)} MB`],
    ['access --format html', accessHtml, `${fmt(fs.statSync(htmlFile).size / 1e6, 1)} MB`],
    ['explain PERSON ACCOUNT', explainCell, `${explainCell.outLines ?? 0} lines`],
    ['explain PERSON', explainPerson, `${explainPerson.outLines ?? 0} lines`],
    ['aws-config PERSON', awsConfig, `${awsConfig.outLines ?? 0} lines`],
    ['workspaces', workspaces, `${workspaces.outLines ?? 0} lines`],
    ['diff --base HEAD', diff, `${changed.person} joins mobile, queues broadened: ${diff.outLines ?? 0} lines${of(targetRuns)}`],
    ['audit --from DIR', audit, `${String(snapshots.files)} snapshots, ${fmt(Number(snapshots.bytes) / 1e6, 1)} MB${of(targetRuns)}`],
  ];
  const dash = (n: number | undefined): string => (n === undefined ? '-' : fmt(n));
  console.log('');
  console.log(
    `${pad('in process (ts-node)', 27)} ${lpad('import s', 8)} ${lpad('wall s', 7)} ${lpad('cpu s', 7)} ${lpad('process s', 9)} ${lpad('peak MiB', 8)}  note`,
  );
  for (const [name, r, note] of phaseRows) {
    console.log(
      `${pad(name, 27)} ${lpad(dash(r.requireSeconds), 8)} ${lpad(fmt(r.seconds), 7)} ${lpad(fmt(r.cpuSeconds), 7)} ` +
        `${lpad(fmt(r.wallSeconds), 9)} ${lpad(fmt(r.maxRssMiB, 0), 8)}  ${note}`,
    );
  }
  console.log('  import = loading the modules (ts-node transpiles on first use); wall/cpu = the measured call only;');
  console.log('  process = the whole child process, node start included; peak = its maximum RSS.');
  console.log('');
  console.log(`${pad('rolecall, end to end', 27)} ${lpad('wall s', 7)} ${lpad('cpu s', 7)} ${lpad('peak MiB', 8)}  note`);
  for (const [name, r, note] of commandRows) {
    console.log(`${pad(name, 27)} ${lpad(fmt(r.seconds), 7)} ${lpad(fmt(r.cpuSeconds), 7)} ${lpad(fmt(r.maxRssMiB, 0), 8)}  ${note}`);
  }
  console.log('  `node bin/rolecall.js ...` as a user runs it: the compiled build, the whole process (node start, modules, work);');
  console.log('  cpu = user + system of the process (GNU time), peak = its maximum RSS.');
  console.log('');
  console.log(
    `resources: ${ours.total} in ${ours.stacks} stacks; largest ${ours.max} (${ours.maxStack}); ` +
      `mean ${fmt(ours.total / Math.max(1, ours.stacks), 1)} per stack; ${fmt(ours.bytes / 1024 / 1024, 1)} MiB of cdk.tf.json`,
  );
  console.log(
    `largest of each kind: ${ours.kinds.map((k) => `${k.kind} ${k.max} (${k.stack}${k.count > 1 ? `, of ${k.count}` : ''})`).join('; ')}`,
  );
  console.log(
    `by type: ${Object.entries(ours.byType)
      .sort()
      .map(([t, n]) => `${t.replace(/^aws_iam_/, '')} ${n}`)
      .join(', ')}`,
  );
  console.log(`floor emits the same resources: ${sameResources ? 'yes' : `NO (floor ${theirs.total}: ${JSON.stringify(theirs.byType)})`}`);

  let planFigure: PlanFigure = { stack: ours.maxStack, resources: ours.max };
  if (options.plan) {
    console.log(`planning the largest stack (${ours.maxStack}, ${ours.max} resources) offline: terraform plan -refresh=false ...`);
    planFigure = {
      ...planFigure,
      ...planStackOffline(path.join(dir, 'out-synth', 'stacks', ours.maxStack), path.join(dir, 'plan-largest'), options.planTimeout),
    };
  }

  const cpuRatio = synth.cpuSeconds / floor.cpuSeconds;
  const wallRatio = synth.seconds / floor.seconds;
  const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  const load = os.loadavg()[0];
  const results: boolean[] = [];
  const line = (text: string, ok: boolean, figure: string) => {
    results.push(ok);
    console.log(`  ${pad(text, 40)} ${verdict(ok)}  ${figure}`);
  };
  const endToEnd = (r: PhaseResult) => `${fmt(r.seconds)} s wall, ${fmt(r.cpuSeconds)} s cpu`;
  console.log('');
  console.log('targets:');
  if (size.small) {
    // Against a floor that emits other resources the ratio means nothing: a miss, not a pass.
    line(
      `synth within ${TARGETS.synthOverFloor}x of floor`,
      sameResources && cpuRatio <= TARGETS.synthOverFloor,
      `${fmt(cpuRatio)}x cpu (${fmt(synth.cpuSeconds)} s vs ${fmt(floor.cpuSeconds)} s); ${fmt(wallRatio)}x wall` +
        (sameResources ? '' : '; the floor emits other resources'),
    );
    line(`validate <= ${TARGETS.validateSeconds} s, end to end`, validateCli.seconds <= TARGETS.validateSeconds, endToEnd(validateCli));
    line(
      `access --format json <= ${TARGETS.accessJsonSeconds} s, end to end`,
      accessJson.seconds <= TARGETS.accessJsonSeconds,
      `${endToEnd(accessJson)}; engine ${fmt(engineRun.seconds)} s wall, ${fmt(engineRun.cpuSeconds)} s cpu of it`,
    );
    line(`access --format json <= ${TARGETS.accessJsonMiB} MB`, jsonBytes <= TARGETS.accessJsonMiB * 1e6, `${fmt(jsonBytes / 1e6, 1)} MB`);
    line(
      `diff <= ${TARGETS.diffSeconds} s, end to end`,
      diff.seconds <= TARGETS.diffSeconds,
      `${endToEnd(diff)}; engine ${fmt(engineRun.seconds)} s per side`,
    );
    line(
      `audit --from <= ${TARGETS.auditSeconds} s, < ${TARGETS.auditMiB} MB`,
      audit.seconds <= TARGETS.auditSeconds && audit.maxRssMiB < TARGETS.auditMiB,
      `${endToEnd(audit)}, ${fmt(audit.maxRssMiB, 0)} MiB`,
    );
  } else {
    for (const [name, r] of commandRows) {
      line(
        `${name} <= ${TARGETS.largeSeconds} s, < 2 GiB`,
        r.seconds <= TARGETS.largeSeconds && r.maxRssMiB < TARGETS.largeMiB,
        `${endToEnd(r)}, ${fmt(r.maxRssMiB, 0)} MiB`,
      );
    }
  }
  line(`every stack <= ${TARGETS.stackResources} resources`, ours.max <= TARGETS.stackResources, `largest ${ours.max} (${ours.maxStack})`);
  if (options.plan) {
    const p = planFigure;
    // No target of its own (issue 12 asks for the figure); a plan that fails or times out is a miss.
    if (p.error) line('plan of the largest stack (offline)', false, `${p.stack}: ${p.error}`);
    else
      console.log(
        `  ${pad('plan of the largest stack (offline)', 40)} INFO  ` +
          `${p.stack}, ${p.resources} resources: ${fmt(p.seconds ?? 0, 1)} s wall, ${fmt(p.maxRssMiB ?? 0, 0)} MiB`,
      );
  } else {
    console.log(
      `  ${pad('plan of the largest stack (offline)', 40)} SKIP  --no-plan: ${ours.maxStack}, ${ours.max} resources, not planned`,
    );
  }
  console.log('');
  console.log(
    `machine: ${os.cpus().length} CPUs, load average ${fmt(loadBefore, 1)} at start, ${fmt(load, 1)} at end` +
      (Math.max(loadBefore, load) > os.cpus().length ? ' (busy: wall times are noisy, trust cpu)' : ''),
  );
  console.log(`${size.label} took ${fmt((Date.now() - started) / 1000, 1)} s${options.keep ? `; files kept in ${dir}` : ''}`);
  console.log('');
  if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  return startupMet && results.every(Boolean);
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  if (options.startupOnly) options.sizes = options.sizes.slice(0, 1);
  const verdicts = options.sizes.map((size) => [size.label, runSize(size, options)] as const);
  console.log(
    `summary: ${verdicts.map(([label, ok]) => `${label} ${ok ? 'all targets met' : 'some targets missed'}`).join('; ')}` +
      (options.plan || options.startupOnly || options.auditOnly ? '' : ' (the largest stacks were not planned: --no-plan)'),
  );
}

main();
