/** What a command needs from the outside world, so tests can capture it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandOptions {
  command?: string;
  /** Positional arguments after the command, already counted against the command's table. */
  args: string[];
  /** Flags the command declares, already checked: value flags are strings, switches `true`. */
  flags: Record<string, string | true>;
  /** The org file (--config, else ROLECALL_CONFIG, else config/org.yaml). */
  config: string;
}

export function defaultIo(): CliIo {
  return { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };
}
