/**
 * People shards (organization.peopleShards): which stack holds each person,
 * and how many resources each stack renders. Pure data, no cdktf.
 *
 * A person's shard is a frozen function of their IAM user name alone: the
 * first 32 bits of MD5 over the name's UTF-8 bytes, big-endian, mod the
 * count. Nobody else's arrival or departure can move a person, so growth
 * never destroys anyone's IAM user (and MFA device). MD5 rather than a
 * faster non-cryptographic hash because Terraform computes it too: each
 * shard's check blocks recompute `parseint(substr(md5(name), 0, 8), 16) % count`
 * to tell "an outsider added to a rolecall group by hand" from "someone
 * another shard holds" (src/stacks/account-stack.ts). Changing this function
 * moves people between stacks: test/shards/model.test.ts pins its values.
 */
import { createHash } from 'crypto';
import type { OrgFile } from '../model/schema';
import type { IdentityCenterPlan, StackPlan } from './types';
import { PLAN_LIMITS } from '../limits';

export const PEOPLE_STACK_PREFIX = 'people-';

/** A people stack should stay under this (a notice says so), every stack under STACK_RESOURCES_MAX (an error). */
export const PEOPLE_STACK_RESOURCES_TARGET = PLAN_LIMITS.peopleStackResourcesTarget;
export const STACK_RESOURCES_MAX = PLAN_LIMITS.stackResourcesMax;

export interface PeopleShards {
  /** 1 = people in the identity stack, as without the key. */
  count: number;
  /** Set while people move from the layout of this count (1 = the identity stack). */
  previousCount?: number;
  /** Each shard's check blocks read every rolecall group (opt-in: see docs/org-file.md#people-shards). */
  checkGroupMembers?: boolean;
}

export function peopleShards(org: OrgFile): PeopleShards {
  const value = org.organization.peopleShards;
  if (value === undefined) return { count: 1 };
  if (typeof value === 'number') return { count: value };
  const shards: PeopleShards =
    value.previousCount === undefined || value.previousCount === value.count
      ? { count: value.count }
      : { count: value.count, previousCount: value.previousCount };
  if (value.checkGroupMembers) shards.checkGroupMembers = true;
  return shards;
}

/**
 * How many `people-<i>` stacks are rendered: the shards of the count, and
 * while previousCount is set the shards people leave (past the count, with
 * only their removed blocks). 0 when people live in the identity stack.
 */
export function peopleStackCount(shards: PeopleShards): number {
  return Math.max(shards.count > 1 ? shards.count : 0, (shards.previousCount ?? 1) > 1 ? (shards.previousCount ?? 1) : 0);
}

/** The frozen 32-bit hash of an IAM user name (see the module comment). */
export function peopleShardHash(userName: string): number {
  return createHash('md5').update(userName, 'utf8').digest().readUInt32BE(0);
}

export function shardOf(userName: string, count: number): number {
  return peopleShardHash(userName) % count;
}

export function peopleStackId(index: number): string {
  return `${PEOPLE_STACK_PREFIX}${index}`;
}

/** The stack holding `userName` when there are `count` shards: the identity stack for 1. */
export function personStackId(userName: string, count: number, identityStackId: string): string {
  return count <= 1 ? identityStackId : peopleStackId(shardOf(userName, count));
}

/**
 * How many Terraform resources the stack renders, counted the way
 * src/stacks/account-stack.ts and src/constructs/* render them
 * (test/shards/synth.test.ts compares with a real synth). Import and
 * removed blocks, outputs and check blocks are not resources.
 */
export function stackResourceCount(stack: StackPlan): number {
  const perUser = stack.membership === 'per-user';
  let n = 0;
  for (const u of stack.users) {
    n += 3; // user, exclusive attachment and inline lists
    if (u.loginProfile) n += 1;
    if (u.accessKey) n += 1;
    if (perUser) n += 1; // aws_iam_user_group_membership
    n += 2 * (u.policies?.length ?? 0); // time-bound memberships: the person's own policy and its attachment
  }
  for (const g of stack.groups) {
    n += 1 + 2 * g.policies.length + (g.managedPolicyArns ?? []).length + 2; // group, policy + attachment each, managed, exclusives
    if (!perUser) n += 1; // aws_iam_group_membership
  }
  for (const r of stack.roles) {
    n += 1 + r.managedPolicyArns.length + r.inlinePolicies.length + 2; // role, attachments, inline policies, exclusives
  }
  if (stack.passwordPolicy) n += 1;
  if (stack.alias !== undefined) n += 1;
  if (stack.identityCenter) n += identityCenterResourceCount(stack.identityCenter).total;
  return n;
}

/**
 * The resources src/constructs/identity-center.ts renders for one stack's part of Identity Center:
 * groups rolecall creates, users, memberships, permission sets with their managed policy attachments
 * and inline policy, account assignments.
 */
export function identityCenterResourceCount(plan: IdentityCenterPlan): {
  total: number;
  people: number;
  permissionSets: number;
  assignments: number;
} {
  const people = plan.groups.filter((g) => g.externalId === undefined).length + plan.users.length + plan.memberships.length;
  const permissionSets = plan.permissionSets.reduce((n, p) => n + 1 + p.managedPolicyArns.length + (p.inlinePolicy ? 1 : 0), 0);
  const assignments = plan.assignments.length;
  return { total: people + permissionSets + assignments, people, permissionSets, assignments };
}
