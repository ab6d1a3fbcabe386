/**
 * What `rolecall audit` can find, with stable codes (RA + 3 digits; RA0xx
 * are the snapshot input errors, RA1xx the findings). docs/audit.md lists
 * them all; test/audit/catalogue keeps the list and the doc in step.
 */
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export interface FindingKind {
  code: string;
  kind: string;
  title: string;
}

export const FINDING_KINDS = {
  userOutsideIdentity: { code: 'RA101', kind: 'user-outside-identity', title: 'IAM user outside the identity account' },
  undeclaredUser: { code: 'RA102', kind: 'undeclared-user', title: 'IAM user in the identity account the file does not list' },
  undeclaredRole: { code: 'RA103', kind: 'undeclared-role', title: 'Role the file does not declare, trusting principals' },
  undeclaredGroup: { code: 'RA104', kind: 'undeclared-group', title: 'Group the file does not declare' },
  undeclaredPolicy: { code: 'RA105', kind: 'undeclared-policy', title: 'Customer managed policy the file does not declare' },
  undeclaredAccount: { code: 'RA106', kind: 'undeclared-account', title: 'Account the file does not list' },
  notCovered: { code: 'RA107', kind: 'not-covered', title: 'Account of the file with no snapshot' },
  trustDrift: { code: 'RA111', kind: 'trust-drift', title: "A rolecall role's trust policy differs" },
  policyAdded: { code: 'RA112', kind: 'policy-added', title: 'Policy on a rolecall principal the file does not give it' },
  policyDrift: { code: 'RA113', kind: 'policy-drift', title: 'A rolecall policy changed or missing' },
  membershipAdded: { code: 'RA114', kind: 'membership-added', title: 'Group membership the file does not give' },
  membershipMissing: { code: 'RA115', kind: 'membership-missing', title: 'Group membership the file gives, missing' },
  credentialDrift: { code: 'RA116', kind: 'credential-drift', title: 'Login profile or access keys differ from the file' },
  missingPrincipal: { code: 'RA117', kind: 'missing-principal', title: 'User, group or role the file declares, missing' },
  settingDrift: { code: 'RA118', kind: 'setting-drift', title: 'Path, session length or boundary of a rolecall principal differs' },
  scpMissing: { code: 'RA121', kind: 'org-policy-missing', title: 'SCP or RCP the file gives, missing' },
  scpChanged: { code: 'RA122', kind: 'org-policy-changed', title: 'SCP or RCP content differs' },
  scpTargets: { code: 'RA123', kind: 'org-policy-targets', title: 'SCP or RCP attached elsewhere than the file says' },
  undeclaredScp: { code: 'RA124', kind: 'undeclared-org-policy', title: 'SCP or RCP the file does not declare' },
  ouDrift: { code: 'RA125', kind: 'ou-drift', title: 'Account in another OU than the file says, or outside every OU it names' },
  accessExceeds: { code: 'RA131', kind: 'live-access-exceeds', title: 'Live access beyond the file’s matrix' },
  accessShort: { code: 'RA132', kind: 'live-access-short', title: 'Live access below the file’s matrix' },
} as const satisfies Record<string, FindingKind>;

export type FindingKey = keyof typeof FINDING_KINDS;

/** The snapshot input errors (located diagnostics, exit 1 before any finding). */
export const INPUT_ERRORS: ReadonlyArray<{ code: string; title: string }> = [
  { code: 'RA001', title: 'A snapshot or its folder cannot be read' },
  { code: 'RA002', title: 'A snapshot is not JSON text (cut off, not UTF-8)' },
  { code: 'RA003', title: 'A snapshot is larger than accepted' },
  { code: 'RA004', title: 'A snapshot does not have the expected shape' },
  { code: 'RA005', title: 'A policy document in a snapshot is not a valid IAM document' },
  { code: 'RA006', title: 'A snapshot is not the account its name says, or holds several' },
  { code: 'RA007', title: 'Two snapshots for one account' },
  { code: 'RA008', title: '--account names no account of the file' },
  { code: 'RA009', title: 'The live fetch failed' },
];

export interface Finding {
  code: string;
  kind: string;
  severity: Severity;
  /** Account name from the file, else its id. */
  account: string;
  accountId?: string;
  /** `user/legacy-admin`, `role/legacy-ops`, `policy/member-baseline`: what the finding is about. */
  principal: string;
  /** What the file says (the plan rolecall would apply). */
  file: string;
  /** What AWS holds. */
  aws: string;
}
