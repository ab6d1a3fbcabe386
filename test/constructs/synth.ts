import { Testing } from 'cdktf';
import type { Construct } from 'constructs';

export interface Synthesized {
  json: string;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string; description?: string; sensitive?: boolean }>;
}

/** Synthesizes constructs into a throwaway stack and parses the result. */
export function synth(fn: (scope: Construct) => void): Synthesized {
  const json = Testing.synthScope(fn);
  const parsed = JSON.parse(json);
  return { json, resource: parsed.resource ?? {}, output: parsed.output ?? {} };
}

/** The one resource of a type, failing loudly if there are more or none. */
export function only(s: Synthesized, type: string): Record<string, unknown> {
  const all = Object.values(s.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** Terraform JSON strings are templates: undo the render boundary's escaping (terraform-literal.ts) before parsing. */
export function parsePolicy(rendered: unknown): unknown {
  return JSON.parse(
    String(rendered)
      .replace(/\$\$\{/g, '${')
      .replace(/%%\{/g, '%{'),
  );
}
