/** The report docs/audit.md shows, built as the doc describes it (test/audit/docs.test.ts compares them). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './cli';
import { compileOrgFile } from '../../src/plan/compile';
import { plantDrift, snapshotsFromPlan, writeSnapshots } from './snapshots';

const ROOT = path.join(__dirname, '..', '..');

/** The report docs/audit.md shows, as the CLI prints it from a folder named `evidence`. */
export async function documentedReport(): Promise<string> {
  const compiled = compileOrgFile(path.join(ROOT, 'config', 'org.yaml'));
  if (!compiled.ok) throw new Error('config/org.yaml must compile');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-audit-doc-'));
  try {
    writeSnapshots(path.join(tmp, 'evidence'), plantDrift(snapshotsFromPlan(compiled.model, compiled.plan)));
    const { out } = await runCli(['audit', '--config', 'config/org.yaml', '--from', path.join(tmp, 'evidence')]);
    return out.split(`${tmp}/`).join('').trimEnd();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
