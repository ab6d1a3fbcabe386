/**
 * `npx rolecall aws-config PERSON`: what one person needs to reach their
 * roles, from the plan, shaped by how they sign in:
 *   access key: an AWS CLI config (a source profile for the key, then one
 *     profile per role: role_arn, mfa_serial, role_session_name = their user
 *     name, which the trust demands, and duration_seconds = the function's
 *     sessionDuration, else the CLI asks for 1 h);
 *   console: the sign-in page and one switch-role link per role;
 *   both: both; neither: a note that they cannot sign in at all.
 * A time-bound membership (a policy of the person's own, no group) gives
 * its roles' profiles like a group does; a profile the documents bound
 * (DateLessThan aws:CurrentTime) says until when.
 */
import type { OrgPlan, PolicyDocument, StackPlan, UserPlan } from '../plan/types';
import { ACCESS_LEVELS, type AccessLevel } from '../model/schema';
import { evaluate } from '../access/evaluate';
import { mfaDeviceArn, userArn } from '../plan/names';

/** A role's access level on an account (from the access matrix), to put the least-privileged role first. */
export type RoleLevel = (account: string, role: string) => AccessLevel | undefined;

export interface RoleProfile {
  profile: string;
  account: string;
  accountId: string;
  role: string;
  roleArn: string;
  /** The role's maximum session (the function's sessionDuration, or the access entry's), in seconds. */
  durationSeconds: number;
  /** The person's functions whose groups may assume the role (a shared role may have several). */
  functions: string[];
  switchRoleUrl: string;
  /** The role's access level there, when known. */
  level?: AccessLevel;
  /**
   * When the person may assume the role only until then (RFC 3339 UTC): a time-bound membership
   * (a policy of their own) or a time-bound grant, read from the emitted documents (DateLessThan aws:CurrentTime).
   */
  until?: string;
}

/** The stack holding the person's IAM user (today the master stack), with the user. */
function homeOf(plan: OrgPlan, userName: string): { stack: StackPlan; user: UserPlan } | undefined {
  for (const stack of plan.stacks) {
    const user = stack.users.find((u) => u.key === userName);
    if (user) return { stack, user };
  }
  return undefined;
}

/** The identity documents the person's user holds: their groups' policies and their own (time-bound memberships). */
function userDocuments(plan: OrgPlan, user: UserPlan): PolicyDocument[] {
  const groups = new Set(user.groups);
  return [
    ...plan.stacks.flatMap((s) => s.groups.filter((g) => groups.has(g.name)).flatMap((g) => g.policies.map((p) => p.document))),
    ...(user.policies ?? []).map((p) => p.document),
  ];
}

/**
 * When the person's documents allow assuming the role only until some instant (DateLessThan
 * aws:CurrentTime, as the access engine reads it): that end; nothing when one allows it for good.
 */
function assumeEnd(documents: PolicyDocument[], home: StackPlan, user: UserPlan, roleArn: string): { until?: string } {
  const caller = { arn: userArn(home.account.id, user.name), account: home.account.id, username: user.name, mfa: true };
  const decision = evaluate(documents, { caller, action: 'sts:AssumeRole', resource: roleArn });
  return decision.allowed && decision.until !== undefined ? { until: decision.until } : {};
}

/**
 * The roles a user may assume, in stack order; within an account the
 * least-privileged first (a function may hold several roles there: the
 * everyday one, and the one to step up to), then by role name.
 */
export function roleProfiles(plan: OrgPlan, userName: string, levelOf?: RoleLevel): RoleProfile[] {
  const home = homeOf(plan, userName);
  if (!home) return [];
  const rank = (p: RoleProfile) => (p.level === undefined ? ACCESS_LEVELS.length : ACCESS_LEVELS.indexOf(p.level));
  // The person's functions: their groups, and their time-bound memberships (a policy of their own, no group).
  const held = new Set([...home.user.groups, ...(home.user.policies ?? []).flatMap((p) => (p.membershipOf ? [p.membershipOf] : []))]);
  const documents = userDocuments(plan, home.user);
  return plan.stacks.flatMap((stack) =>
    stack.roles
      // A shared role is the person's when any function naming it is one of theirs.
      .filter((role) => role.functions.some((fn) => held.has(fn)))
      .map((role) => ({
        profile: `${plan.organization}-${stack.account.name}-${role.name}`,
        account: stack.account.name,
        accountId: stack.account.id,
        role: role.name,
        roleArn: role.arn,
        durationSeconds: role.maxSessionDuration,
        functions: role.functions.filter((fn) => held.has(fn)),
        ...assumeEnd(documents, home.stack, home.user, role.arn),
        switchRoleUrl:
          'https://signin.aws.amazon.com/switchrole?' +
          new URLSearchParams({
            roleName: `${role.path}${role.name}`.replace(/^\//, ''),
            account: stack.account.id,
            displayName: `${stack.account.name}/${role.name}`.slice(0, 64),
          }).toString(),
        ...(levelOf?.(stack.account.name, role.name) !== undefined ? { level: levelOf(stack.account.name, role.name) } : {}),
      }))
      .sort((a, b) => rank(a) - rank(b) || (a.role < b.role ? -1 : a.role > b.role ? 1 : 0)),
  );
}

/** `, until ...`: the profile works until then, IAM refuses the assume after it. */
function untilNote(p: RoleProfile): string {
  return p.until ? `, until ${p.until} (time-bound: IAM refuses the assume after it, applied or not)` : '';
}

export function renderAwsConfig(plan: OrgPlan, userName: string, levelOf?: RoleLevel): string {
  const home = homeOf(plan, userName);
  if (!home) return `# ${userName} is not a person in the org file.`;
  const { stack, user } = home;
  const region = stack.provider.region;
  const profiles = roleProfiles(plan, userName, levelOf);
  // Accounts where the person holds several roles: the first (least-privileged) is also the account's plain profile.
  const perAccount = new Map<string, RoleProfile[]>();
  for (const p of profiles) perAccount.set(p.account, [...(perAccount.get(p.account) ?? []), p]);
  const hasKey = user.accessKey !== undefined;
  const hasConsole = user.loginProfile !== undefined;
  const lines = [`# ${userName}: how to reach your roles (generated by rolecall from the org file).`];

  if (!hasKey && !hasConsole) {
    lines.push(
      `# ${userName} has neither console access nor an access key, so ${userName} cannot sign in at all,`,
      '# and cannot assume any role. To change that, set `console: true` and/or `accessKey: true`',
      `# (with a pgpKey) under people.${userName} in the org file.`,
    );
    if (profiles.length > 0) lines.push(`# Roles ${userName} would reach: ${profiles.map((p) => `${p.account}/${p.role}`).join(', ')}.`);
    return lines.join('\n');
  }
  if (profiles.length === 0) lines.push(`# ${userName} holds no function granted on any account with an id: there is no role to assume.`);

  if (hasKey) {
    const source = plan.organization;
    // The MFA device ARN is the one the person registered; rolecall's RequireMFA
    // policy lets them name it freely, so we write the usual name (their user name).
    const mfaSerial = mfaDeviceArn(stack.account.id, userName);
    lines.push(
      '',
      '# AWS CLI: paste into ~/.aws/config.',
      `# Put your access key into ~/.aws/credentials under [${source}].`,
      `# If your MFA device is not named "${userName}", fix mfa_serial (aws iam list-mfa-devices).`,
      '',
      `[profile ${source}]`,
      `region = ${region}`,
    );
    for (const p of profiles) {
      const several = perAccount.get(p.account)!;
      if (several.length > 1 && several[0] === p) {
        const others = several
          .slice(1)
          .map((o) => `${o.role}${o.level ? ` (${o.level})` : ''}${o.until ? ` until ${o.until}` : ''}: --profile ${o.profile}`);
        lines.push(
          '',
          `# ${p.account}: your everyday role is ${p.role}${p.level ? ` (${p.level})` : ''}, the least-privileged of yours there;`,
          `# step up only when needed: ${others.join('; ')}`,
          `[profile ${plan.organization}-${p.account}]`,
          `role_arn = ${p.roleArn}`,
          `source_profile = ${source}`,
          `mfa_serial = ${mfaSerial}`,
          `role_session_name = ${userName}`,
          `duration_seconds = ${p.durationSeconds}`,
          `region = ${region}`,
        );
      }
      lines.push(
        '',
        `# role ${p.role}${p.level ? ` (${p.level})` : ''} on ${p.account}, through function${p.functions.length > 1 ? 's' : ''} ${p.functions.join(', ')}${untilNote(p)}`,
        `[profile ${p.profile}]`,
        `role_arn = ${p.roleArn}`,
        `source_profile = ${source}`,
        `mfa_serial = ${mfaSerial}`,
        `role_session_name = ${userName}`,
        `duration_seconds = ${p.durationSeconds}`,
        `region = ${region}`,
      );
    }
  } else {
    lines.push('', `# No AWS CLI profiles: ${userName} has no access key (set \`accessKey: true\` in the org file for the CLI).`);
  }

  if (hasConsole) {
    lines.push('', `# Console: sign in at https://${stack.account.id}.signin.aws.amazon.com/console (with MFA), then switch role:`);
    for (const p of profiles) {
      const several = perAccount.get(p.account)!.length > 1;
      const note = several && p.level ? ` (${p.level}${perAccount.get(p.account)![0] === p ? ', everyday' : ', step up'})` : '';
      lines.push(`#   ${p.account}/${p.role}${note}${p.until ? ` (until ${p.until})` : ''}: ${p.switchRoleUrl}`);
    }
  } else if (profiles.length > 0) {
    lines.push('', `# No console links: ${userName} has no console password (set \`console: true\` in the org file for the console).`);
  }
  return lines.join('\n');
}
