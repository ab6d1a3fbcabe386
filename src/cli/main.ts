/**
 * `npx rolecall <command>`: argument parsing and dispatch. Each command is a
 * function of (options, io) returning an exit code; none reads the
 * synthesized JSON, all of them start from compile (src/plan/compile.ts).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import type { CliIo, CommandOptions } from './io';
import { defaultIo } from './io';

type Command = (options: CommandOptions, io: CliIo) => number | Promise<number>;

/* eslint-disable @typescript-eslint/no-require-imports */
/** Each command's module is loaded only when it runs: `validate` never pays for cdktf or the reports. */
const COMMANDS: Record<string, () => Command> = {
  validate: () => (require('./validate') as typeof import('./validate')).runValidate,
  synth: () => (require('./synth') as typeof import('./synth')).runSynth,
  access: () => (require('./access') as typeof import('./access')).runAccess,
  explain: () => (require('./explain') as typeof import('./explain')).runExplain,
  diff: () => (require('./diff') as typeof import('./diff')).runDiff,
  'aws-config': () => (require('./aws-config') as typeof import('./aws-config')).runAwsConfig,
  workspaces: () => (require('./workspaces') as typeof import('./workspaces')).runWorkspaces,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const parsed = parseArgs(argv);
  if ('error' in parsed) {
    io.err(`rolecall: ${parsed.error}\nRun \`npx rolecall help\` for the command sheet.`);
    return 2;
  }
  if (parsed.command === 'help' || parsed.command === undefined || parsed.flags.help) {
    io.out(readFileSync(path.join(__dirname, '..', '..', 'help'), 'utf8').trimEnd());
    // No command at all is a usage error; asking for help is not.
    return parsed.command === undefined && !parsed.flags.help ? 2 : 0;
  }
  const load = COMMANDS[parsed.command];
  if (!load) {
    io.err(`rolecall: unknown command "${parsed.command}". Commands: ${Object.keys(COMMANDS).sort().join(', ')}, help.`);
    return 2;
  }
  return load()(parsed, io);
}

/** `--config FILE`, `--format md`, `--flag`, and positional arguments. */
export function parseArgs(argv: string[]): CommandOptions | { error: string } {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2);
      if (inline !== undefined) flags[key] = inline;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && VALUE_FLAGS.has(key)) flags[key] = argv[++i];
      else if (VALUE_FLAGS.has(key)) return { error: `--${key} needs a value` };
      else flags[key] = true;
    } else if (arg === '-h') {
      flags.help = true;
    } else {
      positional.push(arg);
    }
  }
  const [command, ...args] = positional;
  const config = typeof flags.config === 'string' ? flags.config : process.env.ROLECALL_CONFIG || 'config/org.yaml';
  return { command, args, flags, config };
}

const VALUE_FLAGS = new Set(['config', 'format', 'out', 'base', 'output', 'fail-on']);
