/**
 * `npx --no-install rolecall <command>`: the command table and dispatch. Each command is a
 * function of (options, io) returning an exit code; none reads the
 * synthesized JSON, all of them start from compile (src/plan/compile.ts).
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { parseArgs, type CommandSpec } from './args';
import type { CliIo } from './io';
import { defaultIo } from './io';

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Every command, its positionals and its flags: the parser refuses anything
 * not declared here. A new flag is one entry in `flags`; a new command is one
 * row (its module is required only when it runs).
 */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'validate',
    flags: [{ name: 'fail-on', value: 'GATE', choices: ['expired'] }],
    load: () => (require('./validate') as typeof import('./validate')).runValidate,
  },
  {
    name: 'synth',
    flags: [{ name: 'output', value: 'DIR' }, { name: 'check' }],
    load: () => (require('./synth') as typeof import('./synth')).runSynth,
  },
  {
    name: 'plan',
    positionals: ['STACK...'],
    flags: [{ name: 'base', value: 'GIT-REF' }, { name: 'offline' }, { name: 'output', value: 'DIR' }],
    load: () => (require('./plan') as typeof import('./plan')).runPlan,
  },
  {
    name: 'access',
    flags: [{ name: 'format', value: 'FORMAT', choices: ['md', 'json', 'html'] }, { name: 'out', value: 'FILE' }, { name: 'cells' }],
    load: () => (require('./access') as typeof import('./access')).runAccess,
  },
  {
    name: 'diff',
    flags: [
      { name: 'base', value: 'GIT-REF', required: true },
      { name: 'fail-on', value: 'GATE', choices: ['customer-write'] },
    ],
    load: () => (require('./diff') as typeof import('./diff')).runDiff,
  },
  {
    name: 'explain',
    positionals: ['PERSON|FUNCTION', 'ACCOUNT?'],
    load: () => (require('./explain') as typeof import('./explain')).runExplain,
  },
  {
    name: 'audit',
    flags: [
      { name: 'from', value: 'DIR' },
      { name: 'account', value: 'NAME', repeatable: true },
      { name: 'format', value: 'FORMAT', choices: ['md', 'json'] },
      { name: 'fail-on', value: 'SEVERITY', choices: ['low', 'medium', 'high', 'critical'] },
      { name: 'out', value: 'FILE' },
      { name: 'save', value: 'DIR' },
    ],
    load: () => (require('./audit') as typeof import('./audit')).runAuditCommand,
  },
  {
    name: 'import',
    flags: [
      { name: 'from', value: 'DIR' },
      { name: 'out', value: 'FILE', required: true },
      { name: 'save', value: 'DIR' },
    ],
    load: () => (require('./import') as typeof import('./import')).runImport,
  },
  { name: 'aws-config', positionals: ['PERSON'], load: () => (require('./aws-config') as typeof import('./aws-config')).runAwsConfig },
  {
    name: 'workspaces',
    flags: [{ name: 'format', value: 'FORMAT', choices: ['text', 'json'] }],
    load: () => (require('./workspaces') as typeof import('./workspaces')).runWorkspaces,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const parsed = parseArgs(argv, COMMANDS);
  if ('error' in parsed) {
    io.err(`${parsed.error.startsWith('rolecall') ? '' : 'rolecall: '}${parsed.error}`);
    io.err('Run `npx --no-install rolecall help` for the command sheet.');
    return 2;
  }
  if (parsed.help) {
    io.out(readFileSync(helpSheet(), 'utf8').trimEnd());
    // No command at all is a usage error; asking for help is not.
    return parsed.spec === undefined && !parsed.options.flags.help ? 2 : 0;
  }
  // parseArgs returns help: true whenever there is no command.
  if (!parsed.spec) return 2;
  return parsed.spec.load()(parsed.options, io);
}

/** The `help` file at the package root, from src/cli (ts-jest) or dist/src/cli (the build). */
function helpSheet(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'help');
}
