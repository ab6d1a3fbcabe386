/**
 * Entry point for `cdktf synth` / `cdktf diff` / `cdktf deploy` (cdktf.json:
 * `node bin/run-ts.js main.ts`). Reads ROLECALL_CONFIG (default
 * config/org.yaml); any error in the file stops synthesis with every
 * diagnostic printed, exactly as `rolecall validate` would.
 */
import { formatDiagnostic } from './src/model/diagnostics';
import { compileOrgFile } from './src/plan/compile';
import { synthesizeApp } from './src/stacks/app';

const config = process.env.ROLECALL_CONFIG || 'config/org.yaml';
// Same front half as the CLI (load, plan, quota checks), so cdktf refuses what `validate` refuses.
const result = compileOrgFile(config);
for (const d of result.diagnostics) {
  (d.severity === 'error' ? console.error : console.log)(formatDiagnostic(d));
}
if (!result.plan) {
  console.error(`${config}: errors above; nothing synthesized.`);
  process.exit(1);
}
// cdktf-cli tells the app where to write through CDKTF_OUTDIR.
synthesizeApp(result.plan, process.env.CDKTF_OUTDIR || 'cdktf.out');
