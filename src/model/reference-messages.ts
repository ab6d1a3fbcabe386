/**
 * The reference checks' message texts (src/model/references.ts): names,
 * references, selectors, accounts, IAM actions and conditions, people,
 * guardrails and deploy, while loading. Each function returns the parts of a
 * Diagnostic that are words, with its code; the catalogue lists every code.
 */
import { listNames, SELECTOR_FORMS, show, type Message } from './messages';
import { closest, didYouMean } from './suggest';

// ---------------------------------------------------------------------------
// Names and references

export function invalidName(kind: string, name: string, expected: string): Message {
  const lowered = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return {
    code: 'RC120',
    message: `invalid ${kind} name "${name}"`,
    expected,
    fix: lowered !== name && /^[a-z]/.test(lowered) ? `did you mean "${lowered}"?` : undefined,
  };
}

export function nameTooLong(kind: string, name: string, max: number, why: string): Message {
  return {
    code: 'RC121',
    message: `${kind} name "${name}" is ${name.length} characters long`,
    expected: `at most ${max} characters (${why})`,
  };
}

/** `unknown account "prodution"`, listing what exists and suggesting the closest. */
/** One code per kind of reference, so a filter on "unknown function" is possible. */
const UNKNOWN_REFERENCE_CODES: Record<string, string> = {
  account: 'RC201',
  function: 'RC202',
  'permission set': 'RC203',
  person: 'RC204',
  group: 'RC205',
};

export function unknownReference(kind: string, name: string, known: readonly string[], section: string): Message {
  return {
    code: UNKNOWN_REFERENCE_CODES[kind] ?? 'RC209',
    message: `unknown ${kind} "${name}"`,
    expected: `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} name from \`${section}\` (${listNames([...known].sort())})`,
    fix: didYouMean(name, known),
  };
}

export function starInNameList(): Message {
  return {
    code: 'RC210',
    message: '"*" inside a list is not an account name',
    fix: 'write accounts: "*" (not in a list) for every account but the master and identity accounts',
  };
}

export function duplicateInList(kind: string, name: string): Message {
  return {
    code: 'RC211',
    message: `${kind} "${name}" is listed twice`,
    fix: 'remove the repetition',
  };
}

// ---------------------------------------------------------------------------
// Organization and accounts

export function masterNeedsId(master: string): Message {
  return {
    code: 'RC301',
    message: `the master account "${master}" has no id`,
    expected: 'the 12-digit id of the account that holds the people, as a quoted string',
  };
}

export function identityNeedsId(identity: string): Message {
  return {
    code: 'RC302',
    message: `the identity account "${identity}" has no id`,
    expected:
      'the 12-digit id of the account that holds the people, as a quoted string (people cannot live in an account that does not exist yet)',
  };
}

export function manageNeeds(key: 'id' | 'rootId'): Message {
  const example = key === 'id' ? 'o-abc123defg' : 'r-ab12';
  return {
    code: 'RC303',
    message: `organization.manage is true, but organization.${key} is missing`,
    expected: `organization.${key}, e.g. ${example} (rolecall never creates the organization, it only reads its ids from the file)`,
  };
}

export function accountNeedsIdOrEmail(name: string): Message {
  return {
    code: 'RC304',
    message: `account "${name}" has neither id nor email`,
    expected: 'id: its 12-digit account id, or email: to have the organization stack create it',
  };
}

export function accountWithoutId(name: string, manage: boolean): Message {
  return {
    code: 'RC305',
    message: `account ${name} has no id yet: no account stack until its id is written into the file`,
    fix: manage
      ? 'apply the organization stack, then write the new account id here'
      : 'set organization.manage: true so the organization stack creates it, or write its id here',
  };
}

export function duplicateAccountValue(what: 'id' | 'email', value: string, other: string): Message {
  return {
    code: 'RC306',
    message: `account ${what} ${show(value)} is also used by account "${other}"`,
    expected: `a distinct ${what} per account`,
  };
}

export function unknownService(prefix: string, known: readonly string[]): Message {
  return {
    code: 'RC307',
    message: `unknown AWS service prefix "${prefix}"`,
    expected: 'an IAM service prefix such as s3, ec2 or logs',
    fix: didYouMean(prefix, known),
  };
}

export function servicesOnMaster(master: string): Message {
  return {
    code: 'RC308',
    message: `services has no effect on the master account "${master}"`,
    expected: 'no services key here: service control policies never apply to the management account',
  };
}

export function cognitoOnMaster(master: string): Message {
  return {
    code: 'RC340',
    message: `cognitoIdentityPools has no effect on the master account "${master}"`,
    expected: 'no cognitoIdentityPools key here: the perimeter (SCPs and RCPs) never applies to the management account',
    fix: 'remove cognitoIdentityPools from the master account',
  };
}

export function cognitoWithoutId(name: string): Message {
  return {
    code: 'RC341',
    message: `account ${name} opts in to Cognito identity pools but has no id yet: the perimeter names opted-in accounts by id`,
    expected: 'cognitoIdentityPools only on an account with an id',
    fix: `remove cognitoIdentityPools from ${name} until its id is in the file, then add it again`,
  };
}

export function cognitoWithoutManage(name: string): Message {
  return {
    code: 'RC342',
    message: `cognitoIdentityPools on ${name} has no effect without organization.manage: true (rolecall attaches no perimeter)`,
  };
}

// ---------------------------------------------------------------------------
// Permission sets and IAM

export function invalidActionSyntax(action: string): Message {
  return {
    code: 'RC150',
    message: `invalid IAM action "${action}"`,
    expected: 'service:Action, e.g. s3:GetObject, a pattern such as s3:Get*, or "*"',
  };
}

/**
 * The action someone most likely meant, and only ever one that exists:
 * first the same action name under another service (`cloudwatchlogs:` or
 * `cloudwatch:GetLogEvents` -> `logs:GetLogEvents`; of several, the prefix
 * closest to the one written), then the closest action of the service
 * (`known`, a list of real actions). Undefined when nothing is close.
 */
export function suggestAction(action: string, service: string, known: readonly string[], sameName: readonly string[]): string | undefined {
  const elsewhere = sameName.filter((a) => a.split(':')[0] !== service.toLowerCase());
  if (elsewhere.length > 0) {
    const prefixes = elsewhere.map((a) => a.split(':')[0]);
    const best = closest(service.toLowerCase(), prefixes) ?? prefixes[0];
    return elsewhere.find((a) => a.startsWith(`${best}:`));
  }
  return closest(action, known);
}

export function unknownActionService(action: string, service: string, suggestion: string | undefined): Message {
  return {
    code: 'RC151',
    message: `unknown IAM action "${action}": there is no service "${service}"`,
    expected: 'service:Action with a known IAM service prefix, e.g. s3:GetObject',
    fix: suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
  };
}

export function unknownAction(action: string, suggestion: string | undefined): Message {
  return {
    code: 'RC152',
    message: `unknown IAM action "${action}"`,
    expected: 'an action from the IAM action catalog',
    fix: suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
  };
}

export function patternMatchesNothing(pattern: string): Message {
  return {
    code: 'RC153',
    message: `IAM action pattern "${pattern}" matches no known action`,
    expected: 'a pattern that matches at least one action, e.g. s3:Get*',
  };
}

export function unknownManagedPolicy(ref: string, suggestion: string | undefined): Message {
  return {
    code: 'RC154',
    message: `unknown AWS managed policy "${ref}"`,
    expected: 'a managed policy name (AdministratorAccess), path/name (job-function/NetworkAdministrator) or ARN',
    fix: suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
  };
}

export function duplicateManagedPolicy(ref: string, arn: string): Message {
  return {
    code: 'RC155',
    message: `managed policy "${ref}" is listed twice${ref === arn ? '' : ` (${arn})`}`,
    fix: 'remove the repetition',
  };
}

// ---------------------------------------------------------------------------
// Functions

export function durationOutOfRange(key: string, value: string, min: string, max: string, why: string): Message {
  return {
    code: 'RC124',
    message: `${key} ${value} is out of range`,
    expected: `between ${min} and ${max} (${why})`,
  };
}

export function functionGrantsNothing(fn: string): Message {
  return {
    code: 'RC221',
    message: `function "${fn}" grants no access`,
    expected: 'at least one account in access',
  };
}

export function emptySelector(): Message {
  return {
    code: 'RC212',
    message: 'an empty selector map names no key to match',
    expected: SELECTOR_FORMS,
    fix: 'write "*" for every account but the master and identity accounts, or name the accounts',
  };
}

export function selectorMatchesNothing(selector: string, fix?: string): Message {
  return {
    code: 'RC213',
    message: `selector ${selector} matches no account`,
    expected: 'a selector matching at least one account',
    fix,
  };
}

export function starMatchesNothing(): Message {
  return {
    code: 'RC214',
    message: 'selector "*" matches no account: it means every account except the master and identity accounts, and there is none',
    expected: 'a selector matching at least one account',
  };
}

// ---------------------------------------------------------------------------
// Access truth: reserved accounts, unused entries (issue 8)

/** A notice: `"*"` or a selector object would have matched the master or identity account. */
export function selectorSkipsReserved(selector: string, account: string, role: 'master' | 'identity'): Message {
  const what = role === 'master' ? 'the master (management) account' : 'the identity account, where people live';
  return {
    code: 'RC215',
    message: `selector ${selector} leaves out ${account}, ${what}: "*" and selector objects never select it`,
    fix: `name it (accounts: [${account}]) to grant it on purpose, or add except: [${account}] to say it is left out`,
  };
}

export function functionWithoutMembers(fn: string): Message {
  return {
    code: 'RC216',
    message: `function "${fn}" has no members: its roles exist, but no person can assume them`,
    fix: `add ${fn} to a person's functions, or remove the function; \`npx --no-install rolecall access\` still shows what it holds`,
  };
}

export function unusedPermissionSet(set: string): Message {
  return {
    code: 'RC217',
    message: `permission set "${set}" is granted by no function`,
    fix: "grant it in a function's access, or remove it",
  };
}

export function guardrailSelectsNobodyYet(name: string, functions: readonly string[]): Message {
  return {
    code: 'RC218',
    message: `guardrail "${name}" selects nobody today: ${functions.length > 0 ? `function${functions.length > 1 ? 's' : ''} ${functions.join(', ')} ${functions.length > 1 ? 'have' : 'has'} no members` : 'it names no function'} and it names no person`,
    fix: 'it still bounds the functions it names; check that the functions and people are the ones you meant',
  };
}

// ---------------------------------------------------------------------------
// Real organisations: shared roles, identity account, machine principals,
// custom SCPs, aliases, password policy (issue 11)

/** `3600` -> `1h`, `5400` -> `90m`: durations as the file writes them. */
function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** `functions.developers.access[2]`, for pointing from one entry to another. */
function keyPathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function twoSessionLengths(
  fn: string,
  account: string,
  first: number,
  second: number,
  firstPath: readonly (string | number)[],
): Message {
  return {
    code: 'RC224',
    message: `function "${fn}" gives its role on account ${account} a session length of ${formatSeconds(second)} here and ${formatSeconds(first)} at ${keyPathText(firstPath)}`,
    expected: 'one session length per role',
    fix: 'write the same sessionDuration on both entries',
  };
}

export function invalidRoleName(role: string): Message {
  return {
    code: 'RC131',
    message: `invalid role name "${role}"`,
    expected: 'an IAM role name: 1 to 64 letters, digits and + = , . @ _ -',
  };
}

export function roleIsDeployRole(role: string): Message {
  return {
    code: 'RC612',
    message: `role name "${role}" is the deploy role's name (deploy.assumeRoleName) or one AWS or rolecall gives its own roles and groups`,
    expected: 'a role name rolecall can own exclusively',
    fix: 'choose another role name',
  };
}

export function roleNamesClash(account: string, first: string, second: string): Message {
  return {
    code: 'RC227',
    message: `roles "${first}" and "${second}" on account ${account} are one name to IAM (role names are case-insensitive)`,
    expected: 'role names that differ in more than case and punctuation',
    fix: `write "${first}" in both places to share one role, or rename one`,
  };
}

export function sharedRoleDiffers(
  role: string,
  account: string,
  fn: string,
  sets: readonly string[],
  other: string,
  otherSets: readonly string[],
  otherPath: readonly (string | number)[],
): Message {
  return {
    code: 'RC225',
    message: `role "${role}" on account ${account} gets permission sets [${sets.join(', ')}] from function ${fn}, but [${otherSets.join(', ')}] from function ${other} (${keyPathText(otherPath)})`,
    expected: 'the same permission sets from every function naming a shared role',
    fix: `give both functions the same permission sets on ${account}, or name different roles`,
  };
}

export function sharedRoleSessionDiffers(
  role: string,
  account: string,
  fn: string,
  seconds: number,
  other: string,
  otherSeconds: number,
): Message {
  return {
    code: 'RC226',
    message: `role "${role}" on account ${account} gets a session length of ${formatSeconds(seconds)} from function ${fn}, but ${formatSeconds(otherSeconds)} from function ${other}`,
    expected: 'one session length per shared role',
    fix: 'write the same sessionDuration on both access entries',
  };
}

export function invalidPrincipal(arn: string): Message {
  return {
    code: 'RC132',
    message: `principal ${show(arn)} is not an IAM role or account root ARN`,
    expected:
      'arn:aws:iam::123456789012:role/NAME (any path) or arn:aws:iam::123456789012:root; IAM users are not accepted (their long-term keys carry no MFA)',
  };
}

export function principalWildcard(arn: string): Message {
  return {
    code: 'RC133',
    message: `principal ${show(arn)} contains a wildcard`,
    expected: 'one explicit principal ARN per entry: a role trusts nothing without MFA unless the file names it exactly',
  };
}

export function principalIsIdentityRoot(arn: string, identity: string): Message {
  return {
    code: 'RC228',
    message: `principal ${arn} is the identity account ${identity} itself`,
    expected: "a principal outside the people's account: trusting its root without MFA would let every person in without MFA",
    fix: 'name the specific role that should assume (e.g. a CI role), not the account',
  };
}

export function servicesOnIdentity(identity: string): Message {
  return {
    code: 'RC325',
    message: `services on the identity account "${identity}" would deny the IAM users, groups and policies its stack creates`,
    expected: 'no services key on the account that holds the people',
  };
}

export function invalidAlias(alias: string): Message {
  return {
    code: 'RC136',
    message: `invalid account alias ${show(alias)}`,
    expected:
      'an IAM account alias: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit, not a 12-digit number',
  };
}

export function duplicateAlias(alias: string, other: string): Message {
  return {
    code: 'RC326',
    message: `account alias "${alias}" is also used by account "${other}"`,
    expected: 'a distinct alias per account (aliases are unique across AWS)',
  };
}

export function aliasWithoutId(name: string): Message {
  return {
    code: 'RC327',
    message: `account ${name} has an alias but no id yet: the alias is set once its id is written into the file`,
  };
}

export function passwordPolicyOutOfRange(key: string, value: number, min: number, max: number): Message {
  return {
    code: 'RC134',
    message: `${key} ${value} is out of range`,
    expected: `a whole number from ${min} to ${max} (AWS's bounds)`,
  };
}

export function weakPasswordLength(length: number): Message {
  return {
    code: 'RC135',
    message: `organization.passwordPolicy.minimumLength ${length} is below rolecall's default of 14 (CIS AWS Foundations asks for at least 14)`,
  };
}

export function scpsWithoutManage(): Message {
  return {
    code: 'RC328',
    message: 'scps are emitted by the organization stack only, and organization.manage is false: they have no effect',
    fix: 'set organization.manage: true, or remove scps',
  };
}

export function scpOnMaster(scp: string, master: string): Message {
  return {
    code: 'RC329',
    message: `SCP "${scp}" selects the management account "${master}"`,
    expected: 'member accounts only: service control policies never apply to the management account',
    fix: `leave ${master} out of scps.${scp}.accounts`,
  };
}

export function scpStatementActions(): Message {
  return {
    code: 'RC137',
    message: 'an SCP statement needs exactly one of actions and notActions',
    expected: 'actions: [...] or notActions: [...]',
  };
}

export function scpStatementResources(): Message {
  return {
    code: 'RC138',
    message: 'an SCP statement takes resources or notResources, not both',
    expected: 'resources: [...] or notResources: [...]',
  };
}

// ---------------------------------------------------------------------------
// People

export function invalidUserName(name: string): Message {
  return {
    code: 'RC122',
    message: `invalid IAM user name "${name}"`,
    expected: 'letters, digits and + = , . @ _ - only, at most 64 characters',
  };
}

export function tooManyFunctions(person: string, count: number, max: number): Message {
  return {
    code: 'RC407',
    message: `${person} is in ${count} functions, but at most ${max} are possible: IAM allows ${max + 1} groups per user and every person is also in the generated RequireMFA group`,
    fix: "merge functions, or split the person's duties",
  };
}

export function needsPgpKey(what: 'console' | 'accessKey'): Message {
  return what === 'console'
    ? {
        code: 'RC130',
        message: 'console password needs pgpKey, so it is never stored in plain text',
        expected: 'pgpKey: keybase:<user> or a base64 PGP public key',
      }
    : {
        code: 'RC130',
        message: 'access key needs pgpKey, so its secret is never stored in plain text',
        expected: 'pgpKey: keybase:<user> or a base64 PGP public key',
      };
}

// ---------------------------------------------------------------------------
// Guardrails, pipelines, deploy

export function guardrailSelectsNobody(name: string): Message {
  return {
    code: 'RC219',
    message: `guardrail "${name}" selects nobody`,
    expected: 'functions, people or both',
  };
}

export function duplicateGuardrail(name: string): Message {
  return {
    code: 'RC220',
    message: `guardrail name "${name}" is used twice`,
    expected: 'a distinct name per guardrail (errors name the guardrail)',
  };
}

// ---------------------------------------------------------------------------
// Deploy: backends, credentials, workspaces, adoption (issue 10)

export function deployNeedsSection(backend: 's3' | 'cloud'): Message {
  return backend === 's3'
    ? {
        code: 'RC601',
        message: 'deploy.backend is s3, but deploy.s3 is missing',
        expected: 'deploy.s3: { bucket: <state bucket>, region: <its region>, keyPrefix: rolecall/ }',
        fix: 'add deploy.s3, or use backend: local',
      }
    : {
        code: 'RC601',
        message: 'deploy.backend is cloud, but deploy.cloud is missing',
        expected: 'deploy.cloud: { organization: <HCP Terraform organization>, project: <project>, workspacePrefix: rolecall- }',
        fix: 'add deploy.cloud, or use backend: local',
      };
}

export function cloudNeedsProject(): Message {
  return {
    code: 'RC602',
    message: 'deploy.cloud.project is missing: with backend cloud every workspace is placed in a named project',
    expected: 'project: the HCP Terraform project of the workspaces, e.g. aws-iam',
    fix: 'the project is part of the identity token HCP Terraform presents to AWS (organization:ORG:project:PROJECT:workspace:...), so the plan and apply roles can only trust a named one',
  };
}

export function dynamicNeedsCloud(backend: string): Message {
  return {
    code: 'RC603',
    message: `deploy.credentials tfc-dynamic needs backend cloud, but backend is ${backend}`,
    expected: 'backend: cloud (HCP Terraform runs the plan and apply and presents its identity token to AWS)',
    fix: 'set backend: cloud with deploy.cloud, or use credentials: assume-role or environment',
  };
}

export function stateAccountWithoutS3(account: string): Message {
  return {
    code: 'RC343',
    message: `the state bucket's account "${account}" is limited to services without s3: its SCP would deny the state to every stack`,
    expected: 'a state account whose services include s3, or one without services',
    fix: `add s3 to accounts.${account}.services, or put the state bucket in another account`,
  };
}

export function stateAccountNeedsId(account: string): Message {
  return {
    code: 'RC604',
    message: `the state bucket's account "${account}" has no id yet`,
    expected: 'an account with an id: the bootstrap stack creates the bucket there',
    fix: 'write the account id into the file, or leave deploy.s3.account out (the master account)',
  };
}

export function adoptRoleNotGranted(fn: string, account: string, granted: readonly string[]): Message {
  return {
    code: 'RC607',
    message: `function "${fn}" has no role in account "${account}" to adopt`,
    expected: `an account where ${fn} is granted and that has an id (${listNames(granted)})`,
    fix: didYouMean(account, granted) ?? `grant ${fn} on ${account} first, or remove it from the list`,
  };
}

export function adoptDuplicate(kind: string, name: string): Message {
  return {
    code: 'RC608',
    message: `${kind} "${name}" is listed twice`,
    expected: 'each name once',
  };
}

// ---------------------------------------------------------------------------
// Hardening (issue 7): resource control policies, values AWS rejects, loader limits

export function nameDiffersOnlyInCase(kind: string, name: string, other: string, why: string): Message {
  return {
    code: 'RC123',
    message: `${kind} "${name}" differs from "${other}" only in case; ${why}`,
    expected: 'names that differ in more than letter case (IAM names are case-insensitive)',
    fix: `rename "${name}"`,
  };
}

export function deployRoleIsFunction(role: string, fn: string): Message {
  return {
    code: 'RC606',
    message: `deploy.assumeRoleName "${role}" is also the name of function "${fn}"`,
    expected:
      'a deploy role apart from every function role: the services SCP exempts the deploy role, and a stack must not manage the role it runs as',
    fix: `rename function "${fn}", or set deploy.assumeRoleName to another role (e.g. OrganizationAccountAccessRole)`,
  };
}

export function functionIsGeneratedName(fn: string, generated: string, what: string): Message {
  return {
    code: 'RC222',
    message: `function "${fn}" has the name of ${what} "${generated}" (IAM names are case-insensitive)`,
    expected: `a function name other than ${generated.toLowerCase()}`,
    fix: `rename function "${fn}"`,
  };
}

export function tagProblem(what: string, value: string, problem: string): Message {
  return {
    code: 'RC125',
    message: `${what} ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '...' : value)} ${problem}`,
    expected:
      'AWS tags: keys of 1-128 and values of 0-256 characters, letters, digits, spaces and _ . : / = + - @ only; keys not starting with "aws:"',
    fix: 'shorten it or replace the other characters',
  };
}

export function tooManyTags(account: string, count: number, max: number): Message {
  return {
    code: 'RC309',
    message: `account "${account}" has ${count} tags; with the tags rolecall adds, over AWS's 50 per resource`,
    expected: `at most ${max} tags`,
    fix: 'remove tags',
  };
}

export function duplicateSid(sid: string, first: number): Message {
  return {
    code: 'RC156',
    message: `Sid "${sid}" is used twice in this permission set (first in statement ${first})`,
    expected: 'Sids unique within one policy document (IAM rejects duplicates)',
    fix: 'rename one of them, or remove the Sid',
  };
}

export function unknownConditionOperator(operator: string, suggestion: string | undefined): Message {
  return {
    code: 'RC157',
    message: `unknown condition operator "${operator}"`,
    expected:
      'an IAM condition operator such as StringEquals, ArnLike, Bool or NumericLessThan, optionally with IfExists or a ForAllValues:/ForAnyValue: prefix',
    fix: suggestion,
  };
}

export function unknownConditionKey(key: string, service: string | undefined, suggestion: string | undefined): Message {
  return {
    code: 'RC158',
    message: service ? `condition key "${key}" does not exist for service ${service}` : `unknown global condition key "${key}"`,
    expected: service
      ? `a condition key of ${service} (see the service authorization reference) or a global aws: key`
      : 'a global condition key such as aws:PrincipalOrgID or aws:SourceIp',
    fix: suggestion,
  };
}

export function textTooLong(what: string, length: number, max: number): Message {
  return {
    code: 'RC126',
    message: `${what} is ${length} characters long`,
    expected: `at most ${max} characters (AWS's limit)`,
    fix: 'shorten it',
  };
}

export function descriptionCharacters(what: string, ch: string): Message {
  return {
    code: 'RC127',
    message: `${what} contains ${JSON.stringify(ch)}, which IAM does not accept in a description`,
    expected: 'Latin-1 text: printable ASCII, tabs, new lines and the characters U+00A1 to U+00FF',
    fix: 'replace or remove that character',
  };
}

export function badPgpKey(why?: string): Message {
  return {
    code: 'RC129',
    message:
      why === undefined
        ? 'pgpKey is neither keybase:USERNAME nor a base64 PGP public key'
        : `pgpKey is not a readable OpenPGP public key (${why.replace(/\.$/, '')})`,
    expected: 'keybase:alice, or the base64 of a binary public key (gpg --export alice | base64 -w0)',
    fix: 'export the public key in binary form and base64 it, without the ASCII-armour header lines',
  };
}

export function tooManyPeople(count: number, max: number): Message {
  return {
    code: 'RC408',
    message: `${count.toLocaleString('en-US')} people, but an AWS account holds at most ${max.toLocaleString('en-US')} IAM users`,
    expected: `at most ${max.toLocaleString('en-US')} people`,
    fix: 'use an identity provider (IAM Identity Center) for an organisation this size',
  };
}

/** Why Terraform could not encrypt to a key, in words (src/model/pgp.ts's problems). */
const PGP_PROBLEMS: Record<string, (detail?: string) => string> = {
  private: () => 'is a PRIVATE key: it must never be in the org file',
  revoked: () => 'is revoked',
  expired: (detail) => `expired${detail ? ` on ${detail.replace(/\.000Z$/, 'Z')}` : ''}`,
  'no-encryption': (detail) => `has no key that can encrypt (a signing-only export${detail ? `: its primary key is ${detail}` : ''})`,
  weak: (detail) => `is too weak to encrypt to${detail ? ` (${detail} bits, fewer than 2048)` : ''}`,
};

export function pgpKeyCannotEncrypt(person: string, problem: string, detail?: string): Message {
  const fixes: Record<string, string> = {
    private: `treat that private key as leaked; put its public half here: gpg --export ${person}@... | base64 -w0`,
    revoked: 'ask the person for their current key: gpg --export KEYID | base64 -w0',
    expired: 'extend it (gpg --quick-set-expire FINGERPRINT 1y "*") and export again: gpg --export KEYID | base64 -w0',
    'no-encryption':
      'add an encryption subkey (gpg --quick-add-key FINGERPRINT cv25519 encr) and export the whole key: gpg --export KEYID | base64 -w0',
    weak: 'make a new key of RSA 3072 or more, or ed25519 with a cv25519 subkey (gpg --quick-gen-key), and export it',
  };
  return {
    code: 'RC139',
    message: `the pgpKey of ${person} ${(PGP_PROBLEMS[problem] ?? (() => problem))(detail)}: Terraform could not encrypt the console password or access key to it at apply`,
    expected: 'an OpenPGP public key with a valid, unexpired, unrevoked encryption subkey (RSA of 2048 bits or more, or ECC)',
    fix: fixes[problem] ?? 'export a current public key: gpg --export KEYID | base64 -w0',
  };
}

export function pgpKeyUnchecked(person: string): Message {
  return {
    code: 'RC140',
    message: `the pgpKey of ${person} could not be read (OpenPGP.js did not run): it is not checked`,
    fix: 'run `npm ci` so that the openpgp package is installed',
  };
}

export function twoUntils(
  fn: string,
  account: string,
  role: string,
  first: string | undefined,
  second: string | undefined,
  firstPath: readonly (string | number)[],
): Message {
  const text = (u: string | undefined) => (u === undefined ? 'no end' : `until ${u}`);
  return {
    code: 'RC230',
    message: `function "${fn}" grants role "${role}" on account ${account} ${text(second)} here and ${text(first)} at ${keyPathText(firstPath)}`,
    expected: 'one end per role of a function in an account: the group may assume the role until then',
    fix: 'write the same until on both entries, or give the time-bound grant its own role (role: ...)',
  };
}

export function badUntil(until: string): Message {
  return {
    code: 'RC231',
    message: `until "${until}" is not a real instant`,
    expected: 'an RFC 3339 UTC instant such as "2026-12-10T18:00:00Z"',
    fix: 'check the day of the month and the hour (00-23)',
  };
}

/** `from`: the reference time and its source (src/model/reference-time.ts referenceText). */
export function breakGlassWithoutUntil(person: string, fn: string, bound: string, latest: string, from: string): Message {
  return {
    code: 'RC233',
    message: `${person} is a member of break-glass function ${fn} without an end: every membership of it must be time-bound (at most ${bound} after ${from})`,
    expected: `{ name: ${fn}, until: "<at most ${bound} after the change>" }`,
    fix: `write { name: ${fn}, until: "${latest}" }`,
  };
}

export function breakGlassTooLong(person: string, fn: string, until: string, bound: string, latest: string, from: string): Message {
  return {
    code: 'RC234',
    message: `${person}'s membership of break-glass function ${fn} ends at ${until}, more than ${bound} after ${from}`,
    expected: `an until at most ${bound} after the change's reference time (the function's breakGlass; docs/org-file.md#time-bound-access)`,
    fix: `until: "${latest}" (renew it by a new reviewed change if the incident lasts)`,
  };
}

export function breakGlassWithPrincipals(fn: string): Message {
  return {
    code: 'RC235',
    message: `break-glass function ${fn} has machine principals: they would hold it for good, without an end`,
    expected: 'a break-glass function held only by people, each for a time',
    fix: 'move the principals to another function',
  };
}

export function untilWithPrincipals(fn: string): Message {
  return {
    code: 'RC236',
    message: `function ${fn} has machine principals: until ends its group's assume, but the roles trust the principals themselves, who would keep them after it`,
    expected: 'until on functions held by people only',
    fix: 'give the time-bound grant to a function without principals',
  };
}
