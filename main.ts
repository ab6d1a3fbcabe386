/**
 * Entry point for `cdktf synth` / `cdktf diff` / `cdktf deploy` (cdktf.json:
 * `node dist/main.js`, built by `npm run build`). Reads ROLECALL_CONFIG
 * (default config/org.yaml); any error in the file stops synthesis with the
 * diagnostics printed exactly as `rolecall validate` prints them.
 *
 * cdktf-cli phones HashiCorp's checkpoint service unless CHECKPOINT_DISABLE is
 * set in *its* environment (this app runs too late to set it): use
 * `npm run cdktf -- synth`, or export CHECKPOINT_DISABLE=1.
 */
import { reportDiagnostics } from './src/cli/validate';
import { compileOrgFile } from './src/plan/compile';
import { synthesizeApp } from './src/stacks/app';

const config = process.env.ROLECALL_CONFIG || 'config/org.yaml';
// Same front half as the CLI (load, plan, quota checks), so cdktf refuses what `validate` refuses.
const result = compileOrgFile(config);
const io = { out: (t: string) => console.log(t), err: (t: string) => console.error(t) };
if (!reportDiagnostics(result, io)) {
  console.error(`${config}: errors above; nothing synthesized.`);
  process.exit(1);
}
// cdktf-cli tells the app where to write through CDKTF_OUTDIR.
synthesizeApp(result.plan, process.env.CDKTF_OUTDIR || 'cdktf.out');
