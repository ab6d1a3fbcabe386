/**
 * The argument table (src/cli/main.ts) and its parser (src/cli/args.ts):
 * every typo is an error with exit 2 and a suggestion, never a silent
 * default. Each case of issue 9's "what was seen" is here.
 */
import * as path from 'path';
import { parseArgs, type CommandSpec } from '../../src/cli/args';
import { COMMANDS } from '../../src/cli/main';
import { runCli } from '../helpers/cli';

const EXAMPLE = path.join(__dirname, '..', '..', 'config', 'org.yaml');

describe('unknown flags, extra arguments and unknown commands are errors (exit 2)', () => {
  test.each([
    [['validate', '--confg', 'other.yaml'], 'rolecall validate: unknown option --confg; did you mean --config?'],
    [['synth', '--outptu', 'DIR'], 'rolecall synth: unknown option --outptu; did you mean --output?'],
    [['validate', 'extra'], 'rolecall validate: unexpected argument "extra" (validate takes no arguments)'],
    [['diff', '--base', 'HEAD', '--bogus'], 'rolecall diff: unknown option --bogus (options: --base, --fail-on, --config, --help)'],
    [['access', '--bogus'], 'rolecall access: unknown option --bogus'],
    [['valdate'], 'rolecall: unknown command "valdate"; did you mean "validate"?'],
    [['aws-confg', 'bob'], 'unknown command "aws-confg"; did you mean "aws-config"?'],
    [['access', '--format', 'xml'], '--format must be one of md, json, html, got "xml"; did you mean "html"?'],
    [['access', '--out'], 'rolecall access: --out needs a value (FILE)'],
    [['access', '--out', '--format', 'md'], 'rolecall access: --out needs a value (FILE)'],
    [['access', '--out='], '--out needs a value (FILE), got an empty string'],
    [['synth', '--output', 'a', '--output', 'b'], 'rolecall synth: --output given twice'],
    [['validate', '--help=yes'], '--help takes no value'],
    // ACCOUNT is optional since issue 12 (`explain PERSON`: every account reached); a missing PERSON is still an error.
    [['explain'], 'rolecall explain: missing PERSON|FUNCTION; usage: npx --no-install rolecall explain PERSON|FUNCTION [ACCOUNT]'],
    [['explain', 'a', 'b', 'c'], 'unexpected argument "c" (explain takes at most 2)'],
    [['aws-config'], 'rolecall aws-config: missing PERSON'],
    [['diff'], 'rolecall diff: --base GIT-REF is required'],
    [['validate', '-x'], 'rolecall validate: unknown option -x'],
    [['help', 'synht'], 'rolecall help: unknown command "synht"; did you mean "synth"?'],
  ])('%j', async (argv, message) => {
    const { code, out, err } = await runCli([...argv, '--config', EXAMPLE].slice(0, argv.includes('--config') ? argv.length : undefined));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain('Run `npx --no-install rolecall help` for the command sheet.');
  });

  test('the typo never reaches the command: validate --confg other.yaml does not validate config/org.yaml', async () => {
    const { code, out } = await runCli(['validate', '--confg', 'other.yaml']);
    expect(code).toBe(2);
    expect(out).not.toContain('valid.');
  });
});

describe('what is accepted', () => {
  const table: CommandSpec[] = [
    { name: 'one', flags: [{ name: 'out', value: 'FILE' }, { name: 'check' }], load: () => () => 0 },
    { name: 'two', positionals: ['A', 'B?'], load: () => () => 0 },
  ];
  const ok = (argv: string[]) => {
    const parsed = parseArgs(argv, table, {});
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed;
  };

  test('flags before or after the command, --name=value and --name value, switches', () => {
    expect(ok(['--config', 'x.yaml', 'one', '--out=r.md', '--check']).options).toEqual({
      command: 'one',
      args: [],
      flags: { config: 'x.yaml', out: 'r.md', check: true },
      config: 'x.yaml',
    });
    expect(ok(['one', '--out', 'r.md']).options.flags).toEqual({ out: 'r.md' });
  });

  test('optional positionals, and `--` ends the options', () => {
    expect(ok(['two', 'a']).options.args).toEqual(['a']);
    expect(ok(['two', 'a', '--', '--b']).options.args).toEqual(['a', '--b']);
  });

  test('a flag of another command is unknown here', () => {
    expect(parseArgs(['two', 'a', '--out', 'x'], table, {})).toEqual({
      error: expect.stringContaining('rolecall two: unknown option --out'),
    });
  });

  test('--config, else ROLECALL_CONFIG, else config/org.yaml', () => {
    expect((parseArgs(['one'], table, { ROLECALL_CONFIG: 'env.yaml' }) as { options: { config: string } }).options.config).toBe('env.yaml');
    expect((parseArgs(['one'], table, {}) as { options: { config: string } }).options.config).toBe('config/org.yaml');
  });

  test('adding a flag is one table entry: the parser reads only the table', () => {
    const extended: CommandSpec[] = [
      { ...table[0], flags: [...(table[0].flags ?? []), { name: 'fail-on', value: 'LEVEL', choices: ['read', 'write'] }] },
    ];
    expect(parseArgs(['one', '--fail-on', 'write'], table, {})).toEqual({ error: expect.stringContaining('unknown option --fail-on') });
    const parsed = parseArgs(['one', '--fail-on', 'write'], extended, {});
    expect('error' in parsed ? parsed.error : parsed.options.flags).toEqual({ 'fail-on': 'write' });
  });

  test('every command in the real table has a unique name and loads a function', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of COMMANDS) expect(typeof c.load()).toBe('function');
  });
});

describe('help', () => {
  test.each([[['help']], [['--help']], [['-h']], [['synth', '--help']], [['help', 'synth']]])(
    '%j prints the sheet, exit 0',
    async (argv) => {
      const { code, out, err } = await runCli(argv);
      expect(code).toBe(0);
      expect(err).toBe('');
      expect(out).toContain('USAGE\n  npx --no-install rolecall <command>');
      for (const c of COMMANDS) expect(out).toContain(`  ${c.name}`);
    },
  );

  test('no command at all prints the sheet but is a usage error (exit 2)', async () => {
    const { code, out } = await runCli([]);
    expect(code).toBe(2);
    expect(out).toContain('COMMANDS');
  });

  test('the sheet shows `cdktf diff STACK` as required (cdktf refuses it without one when there are several stacks)', async () => {
    const { out } = await runCli(['help']);
    expect(out).toContain('cdktf diff STACK');
    expect(out).not.toContain('cdktf diff [STACK]');
  });
});
