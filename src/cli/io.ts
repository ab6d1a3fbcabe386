/** What a command needs from the outside world, so tests can capture it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandOptions {
  command?: string;
  args: string[];
  flags: Record<string, string | boolean>;
  /** The org file (--config, else ROLECALL_CONFIG, else config/org.yaml). */
  config: string;
}

export function defaultIo(): CliIo {
  return { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };
}
