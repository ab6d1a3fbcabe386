/**
 * The live access matrix: the access engine (src/access) over the
 * snapshots' documents, against the same engine over the plan's documents
 * (the file's matrix, as the engine computes it): "alice reaches production
 * as admin through role legacy-ops, which the file does not have". Both
 * sides are the same engine, so a clean estate differs in nothing and every
 * difference is the estate's. Only audited accounts are compared: an
 * account without a snapshot holds roles the engine cannot see.
 */
import { compareAccessLevel } from '../iam/actions';
import type { AccessLevel } from '../model/schema';
import type { CompileResult } from '../plan/compile';
import { AccessEngine } from '../access/engine';
import { chainText } from '../access/graph';
import { estateFromPlan, planContext } from '../access/from-plan';
import { identityAccount } from '../plan/names';
import type { PlacedSnapshot } from './audit';
import { estateFromSnapshots } from './estate';
import { FINDING_KINDS, type Finding, type Severity } from './findings';
import type { OrganizationSnapshot } from './snapshot';

const SEVERITY: Record<AccessLevel, Severity> = {
  none: 'low',
  list: 'low',
  read: 'medium',
  write: 'high',
  permissions: 'high',
  admin: 'critical',
};

export function liveMatrixFindings(
  compiled: Extract<CompileResult, { ok: true }>,
  placed: PlacedSnapshot[],
  organization?: OrganizationSnapshot,
): { computed: boolean; note: string; findings: Finding[] } {
  const { model, plan } = compiled;
  const identity = identityAccount(model.org);
  const identitySnap = placed.find((p) => p.accountId === identity.id);
  if (!identitySnap) return { computed: false, note: `not computed: no snapshot of the identity account (${identity.name})`, findings: [] };
  const live = new AccessEngine(estateFromSnapshots(model, plan, placed, organization));
  const filed = new AccessEngine(estateFromPlan(plan, planContext(model)));
  const audited = placed.map((p) => p.name ?? p.accountId);
  const findings: Finding[] = [];
  const idOf = new Map(placed.map((p) => [p.name ?? p.accountId, p.accountId]));
  let cells = 0;
  for (const user of identitySnap.snapshot.users) {
    const now = live.person(user.arn);
    const declared = filed.person(user.arn);
    for (const account of audited) {
      cells++;
      const have = now.get(account);
      const want = declared.get(account);
      const L: AccessLevel = have?.level ?? 'none';
      const F: AccessLevel = want?.level ?? 'none';
      const order = compareAccessLevel(L, F);
      if (order === 0) continue;
      const k = order > 0 ? FINDING_KINDS.accessExceeds : FINDING_KINDS.accessShort;
      findings.push({
        code: k.code,
        kind: k.kind,
        severity: order > 0 ? SEVERITY[L] : 'low',
        account,
        accountId: idOf.get(account),
        principal: `user/${user.name}`,
        file: F === 'none' ? 'no access' : `${F}${want ? ` through ${chainText(want.chain)}` : ''}`,
        aws:
          L === 'none'
            ? 'no access'
            : `${user.name} reaches ${account} as ${L} through ${have ? chainText(have.chain) : '?'}${have?.action ? ` (e.g. ${have.action})` : ''}`,
      });
    }
  }
  return {
    computed: true,
    note: `computed by the access engine over the snapshots: ${identitySnap.snapshot.users.length} users x ${audited.length} accounts (${cells} cells), against the file's`,
    findings,
  };
}
