/**
 * jest globalSetup / globalTeardown of the e2e project (jest.config.js): one
 * line at the end, the run's wall time and the CPU time of jest and of every
 * process it ran (terraform, moto, gpg), from /proc/self/stat.
 */
const fs = require('fs');

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
  globalThis.__rolecallE2eStart = { wall: Date.now(), cpu: cpuSeconds() };
}

async function teardown() {
  const start = globalThis.__rolecallE2eStart;
  if (!start) return;
  const cpu = cpuSeconds();
  const wall = ((Date.now() - start.wall) / 1000).toFixed(0);
  const used =
    cpu === undefined || start.cpu === undefined ? '' : `, ${(cpu - start.cpu).toFixed(0)} s CPU (jest and the terraform, moto it ran)`;
  console.log(`e2e: ${wall} s wall${used}`);
}

module.exports = { setup, teardown };
