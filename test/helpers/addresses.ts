/**
 * Every Terraform resource address of a synthesized app, as `<stack>/<type>.<name>`,
 * sorted: what must not move when the code changes (a moved address destroys and
 * recreates the resource: a person's MFA device, a role's sessions).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileOrgFile } from '../../src/plan/compile';
import { synthesizeApp } from '../../src/stacks/app';

export function resourceAddresses(configFile: string): string[] {
  const compiled = compileOrgFile(configFile);
  if (!compiled.plan) throw new Error(`${configFile} does not compile`);
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'rolecall-addresses-'));
  try {
    synthesizeApp(compiled.plan, outdir);
    const out: string[] = [];
    const stacks = path.join(outdir, 'stacks');
    for (const stack of readdirSync(stacks).sort()) {
      const file = path.join(stacks, stack, 'cdk.tf.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
      for (const [type, byName] of Object.entries(json.resource ?? {}))
        for (const name of Object.keys(byName)) out.push(`${stack}/${type}.${name}`);
    }
    return out.sort();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
