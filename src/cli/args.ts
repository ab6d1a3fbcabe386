/**
 * The command line, declared and parsed. Each command declares its flags and
 * positionals in the table in main.ts; this parser is the only code that
 * reads argv, so a typo is always an error (exit 2) and never a silent default.
 */
import { closest } from '../model/suggest';
import type { CliIo, CommandOptions } from './io';

export type Command = (options: CommandOptions, io: CliIo) => number | Promise<number>;

export interface FlagSpec {
  /** Without the dashes: `output` for `--output`. */
  name: string;
  /** The value's placeholder (`DIR`); absent for a boolean switch such as `--check`. */
  value?: string;
  /** The only values allowed, when the set is closed (`--format md|json|html`). */
  choices?: readonly string[];
  required?: boolean;
  /** May be given more than once (`--account a --account b`): the values are joined with commas. */
  repeatable?: boolean;
}

export interface CommandSpec {
  name: string;
  /** Positional arguments in order; a trailing `?` marks an optional one (`COMMAND?`), a trailing `...` any number, the last only (`STACK...`). */
  positionals?: readonly string[];
  flags?: readonly FlagSpec[];
  /** Loaded only when the command runs: `validate` never pays for cdktf or the reports. */
  load: () => Command;
}

/** Flags every command accepts. `--help`/`-h` prints the sheet. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [{ name: 'config', value: 'FILE' }, { name: 'help' }];

export type Parsed = { options: CommandOptions; spec?: CommandSpec; help: boolean } | { error: string };

/** `synth [--output DIR]`, `explain PERSON ACCOUNT`: the usage line of one command. */
export function usage(spec: CommandSpec): string {
  const parts = [`npx --no-install rolecall ${spec.name}`];
  for (const p of spec.positionals ?? []) parts.push(p.endsWith('?') ? `[${p.slice(0, -1)}]` : p.endsWith('...') ? `[${p}]` : p);
  for (const f of spec.flags ?? []) {
    const text = `--${f.name}${f.value ? ` ${f.choices ? f.choices.join('|') : f.value}${f.repeatable ? '...' : ''}` : ''}`;
    parts.push(f.required ? text : `[${text}]`);
  }
  return parts.join(' ');
}

/**
 * Two passes: find the command (the first word that is not a flag or a
 * flag's value, so `--config x validate` works), then read every argument
 * against that command's table.
 */
export function parseArgs(argv: readonly string[], commands: readonly CommandSpec[], env: NodeJS.ProcessEnv = process.env): Parsed {
  const valueFlags = new Set([...GLOBAL_FLAGS, ...commands.flatMap((c) => c.flags ?? [])].filter((f) => f.value).map((f) => f.name));
  let commandIndex = -1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      commandIndex = i + 1 < argv.length ? i + 1 : -1;
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      if (arg.startsWith('--') && !arg.includes('=') && valueFlags.has(arg.slice(2))) i++;
      continue;
    }
    commandIndex = i;
    break;
  }
  const name = commandIndex >= 0 ? argv[commandIndex] : undefined;
  const rest = argv.filter((_, i) => i !== commandIndex);
  const helpSpec: CommandSpec = { name: 'help', positionals: ['COMMAND?'], load: () => () => 0 };
  let spec: CommandSpec | undefined;
  if (name === 'help') spec = helpSpec;
  else if (name !== undefined) {
    spec = commands.find((c) => c.name === name);
    if (!spec) {
      const names = [...commands.map((c) => c.name), 'help'];
      const near = closest(name, names);
      return { error: `unknown command "${name}"${near ? `; did you mean "${near}"?` : ''} (commands: ${names.join(', ')})` };
    }
  }

  const flags: Record<string, string | true> = {};
  const args: string[] = [];
  const known = [...(spec?.flags ?? []), ...GLOBAL_FLAGS];
  const where = spec ? `rolecall ${spec.name}` : 'rolecall';
  let help = false;
  let onlyPositionals = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      args.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '-h') {
      flags.help = true;
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) return { error: `${where}: unknown option ${arg}${suggest(arg, known)}` };
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const flag = known.find((f) => f.name === key);
    if (!flag) return { error: `${where}: unknown option --${key}${suggest(`--${key}`, known)}` };
    if (key in flags && !flag.repeatable) return { error: `${where}: --${key} given twice` };
    if (!flag.value) {
      if (eq >= 0) return { error: `${where}: --${key} takes no value` };
      flags[key] = true;
      if (key === 'help') help = true;
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) value = rest[++i];
    else return { error: `${where}: --${key} needs a value (${flag.value})` };
    if (value === '') return { error: `${where}: --${key} needs a value (${flag.value}), got an empty string` };
    if (flag.choices && !flag.choices.includes(value)) {
      const near = closest(value, flag.choices);
      return {
        error: `${where}: --${key} must be one of ${flag.choices.join(', ')}, got ${JSON.stringify(value)}${near ? `; did you mean "${near}"?` : ''}`,
      };
    }
    flags[key] = key in flags ? `${String(flags[key])},${value}` : value;
  }

  const config = typeof flags.config === 'string' ? flags.config : env.ROLECALL_CONFIG || 'config/org.yaml';
  const options: CommandOptions = { command: spec?.name, args, flags, config };
  if (help || !spec) return { options, spec, help: true };

  const declared = spec.positionals ?? [];
  const required = declared.filter((p) => !p.endsWith('?') && !p.endsWith('...')).length;
  const variadic = declared[declared.length - 1]?.endsWith('...') ?? false;
  if (args.length > declared.length && !variadic) {
    const extra = args.slice(declared.length).map((a) => JSON.stringify(a));
    const takes =
      declared.length === 0 ? 'takes no arguments' : `takes ${declared.length === required ? '' : 'at most '}${declared.length}`;
    return {
      error: `${where}: unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')} (${spec.name} ${takes}); usage: ${usage(spec)}`,
    };
  }
  if (args.length < required) {
    return { error: `${where}: missing ${declared.slice(args.length, required).join(' ')}; usage: ${usage(spec)}` };
  }
  if (spec === helpSpec) {
    const topic = args[0];
    if (topic !== undefined && !commands.some((c) => c.name === topic)) {
      const near = closest(
        topic,
        commands.map((c) => c.name),
      );
      return { error: `rolecall help: unknown command "${topic}"${near ? `; did you mean "${near}"?` : ''}` };
    }
    return { options, spec, help: true };
  }
  for (const flag of spec.flags ?? []) {
    if (flag.required && !(flag.name in flags))
      return { error: `${where}: --${flag.name} ${flag.value ?? ''} is required; usage: ${usage(spec)}` };
  }
  return { options, spec, help: false };
}

function suggest(input: string, known: readonly FlagSpec[]): string {
  const near = closest(
    input,
    known.map((f) => `--${f.name}`),
  );
  return near ? `; did you mean ${near}?` : ` (options: ${known.map((f) => `--${f.name}`).join(', ')})`;
}

/** A value flag the parser has already checked: a string, or undefined when not given. */
export function stringFlag(options: CommandOptions, name: string): string | undefined {
  const value = options.flags[name];
  return typeof value === 'string' ? value : undefined;
}
