/**
 * jest globalSetup / globalTeardown of the e2e project (jest.config.js):
 * - a per-run directory for test/helpers/terraform.ts's plan cache
 *   (ROLECALL_TF_PLAN_CACHE), removed after the run;
 * - one line at the end: the run's wall time and the CPU time of jest and of
 *   every process it ran (terraform, moto, gpg), from /proc/self/stat.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

/** CPU seconds of this process and of its waited-for children (Linux; undefined elsewhere). */
function cpuSeconds() {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // utime stime cutime cstime: fields 14-17 of proc(5), 12-15 after the command name.
    const ticks = fields.slice(11, 15).reduce((s, f) => s + Number(f), 0);
    return ticks / 100;
  } catch {
    return undefined;
  }
}

async function setup() {
  if (process.env.ROLECALL_TF_PLAN_CACHE) return;
  process.env.ROLECALL_TF_PLAN_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-plan-cache-'));
  globalThis.__rolecallE2eStart = { wall: Date.now(), cpu: cpuSeconds() };
}

async function teardown() {
  const dir = process.env.ROLECALL_TF_PLAN_CACHE;
  let cache = '';
  if (dir && dir.includes('rolecall-plan-cache-')) {
    const planned = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).length;
    const hits = fs.existsSync(path.join(dir, 'hits')) ? fs.readFileSync(path.join(dir, 'hits'), 'utf8').length : 0;
    cache = `; offline plans: ${planned} run, ${hits} reused`;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const start = globalThis.__rolecallE2eStart;
  if (!start) return;
  const cpu = cpuSeconds();
  const wall = ((Date.now() - start.wall) / 1000).toFixed(0);
  const used =
    cpu === undefined || start.cpu === undefined ? '' : `, ${(cpu - start.cpu).toFixed(0)} s CPU (jest and the terraform, moto it ran)`;
  console.log(`e2e: ${wall} s wall${used}${cache}`);
}

module.exports = { setup, teardown };
