/**
 * Every diagnostic code rolecall emits, with a one-line title. Codes are
 * `RC` + 3 digits by area and are never reused (a retired check keeps its
 * number, marked retired here and in docs/diagnostics.md):
 *   0xx  reading the file (bytes, YAML)         src/model/source.ts, load.ts, yaml-errors.ts
 *   1xx  shape and values (schema, IAM syntax)  src/model/issues.ts, references.ts
 *   2xx  references and selectors               src/model/references.ts
 *   3xx  organization: accounts, OUs, SCPs, RCPs references.ts, src/checks/rules/rc3*.ts
 *   4xx  IAM quotas                             references.ts, src/checks/rules/rc4*.ts
 *   5xx  access and guardrails                  src/checks/rules/rc5*.ts
 *   6xx  deploy: backends, workspaces, adoption references.ts, src/checks/rules/rc6*.ts
 *   7xx  IAM Identity Center (people backend)   src/model/identity-center.ts
 * The message texts (and so the code each raises) are beside what raises
 * them: the loader's in src/model/messages.ts and reference-messages.ts, a
 * rule's in its file (named after its code). test/checks/catalogue.test.ts keeps this list, the
 * source and docs/diagnostics.md in step.
 */
export type Layer = 'source' | 'schema' | 'references' | 'rule';

export interface CodeInfo {
  code: string;
  title: string;
  /** Where it is raised: while loading (source, schema, references) or by a plan-level rule (src/checks/rules). */
  layer: Layer;
  severity: 'error' | 'notice';
  /** No longer raised (kept so that the number is never reused). */
  retired?: true;
}

const e = (code: string, layer: Layer, title: string): CodeInfo => ({ code, title, layer, severity: 'error' });
const n = (code: string, layer: Layer, title: string): CodeInfo => ({ code, title, layer, severity: 'notice' });
/** A retired check: its number is never reused, nothing raises it any more. */
const r = (code: string, layer: Layer, title: string): CodeInfo => ({ code, title, layer, severity: 'error', retired: true });

export const CATALOGUE: readonly CodeInfo[] = [
  e('RC001', 'source', 'The org file cannot be read'),
  e('RC002', 'source', 'The org file is not text (a NUL byte, invalid UTF-8)'),
  e('RC003', 'source', 'The org file is larger than the loader accepts'),
  e('RC004', 'schema', 'The org file is empty'),
  e('RC005', 'source', 'YAML syntax error'),
  e('RC006', 'source', 'Duplicate key in a map'),
  e('RC007', 'source', 'More than one YAML document'),
  e('RC008', 'source', 'YAML that cannot be converted to data (e.g. an alias loop)'),
  e('RC009', 'source', 'YAML nested deeper than the loader accepts'),
  e('RC010', 'source', 'A reserved key (__proto__, constructor, prototype)'),
  e('RC011', 'source', 'A %YAML version directive other than 1.2'),
  e('RC012', 'source', 'A tab in the indentation'),
  e('RC013', 'source', 'A [ or { that is never closed'),
  e('RC014', 'source', 'A key without its ":" (a key over several lines)'),
  e('RC015', 'source', 'A value holding ": " (a second key on one line)'),
  e('RC016', 'source', 'A key or list item that does not line up'),
  e('RC017', 'source', 'A quote that is never closed'),
  e('RC020', 'source', 'ROLECALL_REFERENCE_TIME is not an instant'),

  e('RC101', 'schema', 'Unknown key'),
  e('RC102', 'schema', 'Missing key'),
  e('RC103', 'schema', 'Value of the wrong type'),
  e('RC104', 'schema', 'Value not among the allowed choices'),
  e('RC105', 'schema', 'Unsupported file version'),
  e('RC106', 'schema', 'Value not in the expected format'),
  e('RC107', 'schema', 'Empty list where items are needed'),
  e('RC108', 'schema', 'Empty string'),
  e('RC109', 'schema', 'Value out of bounds'),
  e('RC110', 'schema', 'Invalid account selector'),
  e('RC111', 'schema', "Invalid form of a function's access"),
  e('RC112', 'schema', 'Expected a name or a list of names'),
  e('RC113', 'schema', 'Value matches none of the accepted forms'),
  e('RC114', 'schema', 'Other schema issue'),
  e('RC120', 'references', 'Invalid name'),
  e('RC121', 'references', 'Name too long'),
  e('RC122', 'references', 'Invalid IAM user name'),
  e('RC123', 'references', 'Names that differ only in case'),
  e('RC124', 'references', 'Duration out of range (mfaMaxAge, sessionDuration)'),
  e('RC125', 'references', 'Tag key or value AWS does not accept'),
  e('RC126', 'references', 'Text too long (descriptions)'),
  e('RC127', 'references', 'Character IAM does not accept in a description'),
  e('RC128', 'references', 'Text Terraform or CDKTF would interpret (${, %{, tokens)'),
  e('RC129', 'references', 'pgpKey neither keybase: nor a base64 PGP key'),
  e('RC130', 'references', 'Console password or access key without pgpKey'),
  e('RC131', 'references', 'Invalid IAM role name (shared role)'),
  e('RC132', 'references', 'Invalid principal ARN'),
  e('RC133', 'references', 'Wildcard in a principal'),
  e('RC134', 'references', 'Password policy value out of range'),
  n('RC135', 'references', 'Password policy minimum length below 14'),
  e('RC136', 'references', 'Invalid account alias'),
  e('RC137', 'references', 'SCP statement without exactly one of actions and notActions'),
  e('RC138', 'references', 'SCP statement with both resources and notResources'),
  e('RC139', 'references', 'PGP key Terraform cannot encrypt to (signing-only, expired, revoked, weak, private)'),
  n('RC140', 'references', 'PGP key not checked (OpenPGP.js did not run)'),
  e('RC150', 'references', 'Invalid IAM action syntax'),
  e('RC151', 'references', 'IAM action of an unknown service'),
  e('RC152', 'references', 'Unknown IAM action'),
  e('RC153', 'references', 'IAM action pattern that matches no action'),
  e('RC154', 'references', 'Unknown AWS managed policy'),
  e('RC155', 'references', 'Managed policy listed twice'),
  e('RC156', 'references', 'Sid used twice in a permission set'),
  e('RC157', 'references', 'Unknown IAM condition operator'),
  e('RC158', 'references', 'Unknown IAM condition key'),

  e('RC201', 'references', 'Unknown account'),
  e('RC202', 'references', 'Unknown function'),
  e('RC203', 'references', 'Unknown permission set'),
  e('RC204', 'references', 'Unknown person'),
  e('RC205', 'references', 'Unknown group (deploy.adopt.groups)'),
  e('RC209', 'references', 'Unknown name of another kind'),
  e('RC210', 'references', '"*" inside a list of names'),
  e('RC211', 'references', 'Name listed twice'),
  e('RC212', 'references', 'Empty selector map'),
  e('RC213', 'references', 'Selector matches no account'),
  e('RC214', 'references', '"*" matches no account'),
  n('RC215', 'references', 'Selector would have matched the master or identity account (left out)'),
  n('RC216', 'references', 'Function nobody holds'),
  n('RC217', 'references', 'Permission set no function grants'),
  n('RC218', 'references', 'Guardrail selects no person yet'),
  e('RC219', 'references', 'Guardrail selects nobody'),
  e('RC220', 'references', 'Guardrail name used twice'),
  e('RC221', 'references', 'Function grants no access'),
  e('RC222', 'references', 'Function named like a name rolecall generates'),
  r('RC223', 'references', 'Function granted two roles in one account (retired: a function may hold several, issue 20)'),
  e('RC224', 'references', 'Function with two session lengths in one account'),
  e('RC225', 'references', 'Shared role granted different permission sets'),
  e('RC226', 'references', 'Shared role with different session lengths'),
  e('RC227', 'references', 'Two roles with the same name in one account'),
  e('RC228', 'references', 'Principal is the identity account root'),
  e('RC229', 'rule', 'Two keys that map to one identifier (construct id, output name, IAM name)'),
  e('RC230', 'references', 'One role of a function in one account with two different until'),
  e('RC231', 'references', 'until that is no real instant'),
  n('RC232', 'references', 'Grant or membership past its until (validate; --fail-on expired)'),
  e('RC233', 'references', 'Membership of a break-glass function without until'),
  e('RC234', 'references', 'Break-glass membership ending too far ahead'),
  e('RC235', 'references', 'Break-glass function with machine principals'),
  e('RC236', 'references', 'until on a function with machine principals'),
  n('RC237', 'rule', 'Role named as a trust principal: must exist before the apply; recreated, it needs another apply'),

  e('RC301', 'references', 'Master account without id'),
  e('RC302', 'references', 'Identity account without id'),
  e('RC303', 'references', 'organization.manage without id or rootId'),
  e('RC304', 'references', 'Account with neither id nor email'),
  n('RC305', 'references', 'Account without id yet: no stack until it has one'),
  e('RC306', 'references', 'Account id or email used twice'),
  e('RC307', 'references', 'Unknown AWS service prefix'),
  e('RC308', 'references', 'services on the master account'),
  e('RC309', 'references', 'Too many tags on an account'),
  e('RC310', 'rule', 'OU path starts or ends with "/"'),
  e('RC311', 'rule', 'OU path with an empty OU name'),
  e('RC312', 'rule', 'OU name too long'),
  e('RC313', 'rule', 'OU name with characters AWS does not accept'),
  e('RC314', 'rule', 'OU path deeper than AWS allows'),
  e('RC315', 'rule', 'Master account placed in an OU'),
  e('RC316', 'rule', 'Adopted account without email'),
  e('RC317', 'rule', 'Account name too long to create'),
  e('RC320', 'rule', 'SCP over the size quota'),
  e('RC321', 'rule', 'SCP name too long'),
  e('RC322', 'rule', 'Too many SCPs on a target'),
  e('RC323', 'rule', 'RCP over the size quota'),
  e('RC324', 'rule', 'Too many RCPs on a target'),
  e('RC325', 'references', 'services on the identity account'),
  e('RC326', 'references', 'Account alias used twice'),
  n('RC327', 'references', 'Account alias on an account without id yet'),
  n('RC328', 'references', 'Custom SCPs without organization.manage (no effect)'),
  e('RC329', 'references', 'Custom SCP selects the master account'),
  e('RC340', 'references', 'cognitoIdentityPools on the master account'),
  e('RC341', 'references', 'cognitoIdentityPools on an account without id'),
  n('RC342', 'references', 'cognitoIdentityPools without organization.manage (no effect)'),
  e('RC343', 'references', 'State bucket in an account whose services leave out s3'),

  e('RC401', 'rule', 'IAM path over quota'),
  e('RC402', 'rule', "Too many managed policies for a function's group"),
  e('RC403', 'rule', 'Group policy over the size quota'),
  e('RC404', 'rule', 'Trust policy over the size quota'),
  e('RC405', 'rule', 'Too many managed policies on a role'),
  e('RC406', 'rule', "A role's inline policies over the size quota"),
  e('RC407', 'references', 'Person in more functions than IAM groups allow'),
  e('RC408', 'references', 'More people than IAM users an account holds'),
  e('RC409', 'rule', 'Policy name over the IAM quota'),
  n('RC410', 'rule', 'People stack over ~500 resources (raise organization.peopleShards)'),
  e('RC411', 'rule', 'Stack over 1,000 resources'),

  e('RC501', 'rule', 'Guardrail breached'),
  e('RC502', 'rule', 'Guardrail breached more often than shown'),
  e('RC503', 'rule', "Time-bound access beyond a guardrail's timeBound"),

  e('RC601', 'references', 'deploy.backend without its section'),
  e('RC602', 'references', 'deploy.cloud without a project'),
  e('RC603', 'references', 'tfc-dynamic credentials without the cloud backend'),
  e('RC604', 'references', 'State account without id'),
  e('RC605', 'rule', 'Workspace or state name too long'),
  e('RC606', 'references', 'deploy.assumeRoleName is also a function'),
  e('RC607', 'references', 'Adopted role not granted in that account'),
  e('RC608', 'references', 'Adopted name listed twice'),
  n('RC609', 'rule', 'Adopted user will be imported'),
  n('RC610', 'rule', 'Adopted group will be imported'),
  n('RC611', 'rule', 'Adopted role will be imported'),
  e('RC612', 'references', 'Role named like the deploy role or a generated role'),
  e('RC613', 'rule', 'Person with an access key moves between stacks without accessKeyId'),

  e('RC701', 'references', 'people: identity-center without organization.identityCenter'),
  n('RC702', 'references', 'organization.identityCenter without the identity-center backend (no effect)'),
  e('RC703', 'references', 'People backend listed twice'),
  e('RC704', 'references', 'Identity Center administering account without id'),
  e('RC705', 'references', 'Function without an external group id'),
  e('RC706', 'references', 'IAM-user setting on the Identity Center backend alone'),
  e('RC707', 'references', 'Time-bound access on Identity Center'),
  n('RC708', 'references', 'What the Identity Center instance must enforce (MFA, session duration)'),
  e('RC709', 'references', 'Management account grant of a group the delegated administrator creates'),
  e('RC710', 'references', 'One role and permission sets with two session lengths (one permission set)'),
];

export function codeInfo(code: string): CodeInfo | undefined {
  return CATALOGUE.find((c) => c.code === code);
}
