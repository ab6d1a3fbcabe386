/**
 * The live access matrix: the access engine (src/access) over the
 * snapshots' documents, diffed against the file's matrix. Until the engine
 * is on main this reports that it was not computed (never a pass).
 */
import type { CompileResult } from '../plan/compile';
import type { PlacedSnapshot } from './audit';
import type { Finding } from './findings';

export function liveMatrixFindings(
  _compiled: Extract<CompileResult, { ok: true }>,
  _placed: PlacedSnapshot[],
): { computed: boolean; note: string; findings: Finding[] } {
  return { computed: false, note: 'not computed: the access engine is not in this build', findings: [] };
}
