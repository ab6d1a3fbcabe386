/**
 * The live access matrix: the access engine (src/access) over the
 * snapshots' documents (src/audit/estate.ts builds its Estate), against the
 * same engine over the plan's. The engine's evaluation is not in this build
 * yet, so the report says the matrix was not computed: never a pass.
 */
import type { CompileResult } from '../plan/compile';
import type { PlacedSnapshot } from './audit';
import type { Finding } from './findings';
import type { OrganizationSnapshot } from './snapshot';

export function liveMatrixFindings(
  _compiled: Extract<CompileResult, { ok: true }>,
  _placed: PlacedSnapshot[],
  _organization?: OrganizationSnapshot,
): { computed: boolean; note: string; findings: Finding[] } {
  return { computed: false, note: 'not computed: the access engine is not in this build', findings: [] };
}
