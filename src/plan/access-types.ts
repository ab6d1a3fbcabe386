/**
 * The access matrix's shapes (SPEC sections 1 and 5): the paths a holder
 * reaches an account through, the cells they compose, and the matrix the
 * reports, explain and guardrails read. Types only: src/plan/access.ts
 * builds them, src/plan/access-paths.ts names, orders and composes paths.
 */
import type { AccessLevel } from '../model/schema';
import type { LevelEvidence } from '../access/levels';
import type { PipelineCredential } from './pipelines';

export interface PermissionSetAccess extends LevelEvidence {
  name: string;
}

/** A function's role on an account: what a function path holds. */
export interface RoleAccess extends LevelEvidence {
  function: string;
  /** The group in the identity account (same name as the function). */
  group: string;
  /** The role's name: the function's, or a shared role an access entry names (`role:`). */
  role: string;
  /** Absent while the account has no id (no stack yet), and for a group policy path. */
  roleArn?: string;
  /** Every function whose group may assume the role here, sorted; present only for a shared role. */
  roleFunctions?: string[];
  /** The grant's end (RFC 3339 UTC, access entry `until`); absent: no end. */
  until?: string;
  /**
   * True for the group's own policies in the identity account
   * (functions.<fn>.identityPermissions): no role is assumed, `role` is empty.
   */
  groupPolicy?: boolean;
  /** Every permission set the role (or group) holds there, sorted by name. */
  permissionSets: PermissionSetAccess[];
  /**
   * On IAM Identity Center (organization.people names identity-center): the permission set the
   * function's group is assigned here, and the role AWS provisions from it (absent while the account
   * has no id). With Identity Center alone, `roleArn` is that role too.
   */
  identityCenter?: { permissionSet: string; roleArn?: string };
}

/** A person reaches an account through a function they hold: its group, its role there. */
export interface FunctionPath extends RoleAccess {
  kind: 'function';
}

/** A person reaches an account through a pipeline they can change (SPEC section 5). */
export interface PipelinePath extends LevelEvidence {
  kind: 'pipeline';
  pipeline: string;
  /** How the person is a changer: through membership of a changer function (the only kind today). */
  changer: { kind: 'function'; name: string };
  /** What the pipeline applies this account's stack with. */
  credentials: PipelineCredential;
}

/** One hop of a chain path: the principal reached, and how (absent for the holder itself). */
export interface ChainHop {
  /** e.g. `user dave`, `role operations in production`, `admin of tooling`. */
  label: string;
  /** The edge kind (src/access/edges/): assume, self-escalation, admin-of-account, account-principal, pipeline, pass-role. */
  edge?: string;
  /** The action deciding the edge (sts:AssumeRole, iam:AttachUserPolicy ...). */
  action?: string;
  /** A pipeline's name, for a pipeline edge. */
  via?: string;
}

/**
 * Transitive, from the access engine (src/access/): a chain of principals
 * over the policies rolecall emits (escalation, assume chains, machine
 * principals, pipeline credentials) giving more than the paths above.
 */
export interface ChainPath extends LevelEvidence {
  kind: 'chain';
  /** From the holder to the principal holding the level. */
  chain: ChainHop[];
  /** The role at the end of the chain, when it is one. */
  role?: string;
  roleArn?: string;
  /** Leans on a condition the evaluator could not decide: may be high. */
  undecided?: boolean;
  /** Holds only until then (an expiring grant). */
  until?: string;
}

export type AccessPath = FunctionPath | PipelinePath | ChainPath;

/**
 * A machine principal (functions.<fn>.principals) on an account: it may
 * assume the function's role there without MFA (`role` set), or reaches the
 * account transitively through what those roles hold (`role` empty; the
 * evidence path says how). Not a person, so not a matrix row; the matrix
 * lists these beside the people, and guardrails naming the function bound them.
 */
export interface PrincipalPath extends LevelEvidence {
  kind: 'principal';
  principal: string;
  function: string;
  account: string;
  role: string;
  roleArn?: string;
  permissionSets: PermissionSetAccess[];
  /** The path label that sets the level (e.g. `function ci`, `chain principal ... -> role ops in production`). */
  path: string;
  /** The access engine's chain, where it reaches more than the function's role (src/access/). */
  chain?: ChainPath;
}

/** Who holds a cell: a person, or a function on its own (the function x account view). */
export interface CellAccess {
  account: string;
  level: AccessLevel;
  /** The action and path that set the cell's level; absent when the level is `none`. */
  evidence?: { action: string; level: AccessLevel; path: string };
  /** Functions held directly that reach the account. */
  functions: string[];
  roles: string[];
  permissionSets: string[];
  pipelines: string[];
  /** Functions, pipelines, then the access engine's chain where it reaches more. */
  paths: AccessPath[];
}

export interface AccessCell extends CellAccess {
  person: string;
}

export interface FunctionCell extends CellAccess {
  function: string;
}

export interface MatrixAccount {
  name: string;
  id?: string;
  data: string;
  environment: string;
  master: boolean;
  /** Where people and their groups live (the master unless organization.identity says otherwise). */
  identity: boolean;
}

export interface MatrixPerson {
  name: string;
  displayName: string;
  functions: string[];
  /** Time-bound memberships: function -> until (RFC 3339 UTC); the person holds the function until then. */
  until?: Record<string, string>;
  /** Pipelines the person can change, and how. */
  pipelines: Array<{ pipeline: string; changer: PipelinePath['changer'] }>;
}

export interface MatrixFunction {
  name: string;
  description?: string;
  /** People holding it, sorted. */
  members: string[];
  /** Pipelines it changes (as a changer function), sorted. */
  pipelines: string[];
}

/**
 * The transitive paths of one holder (a person, or a function on its own),
 * grouped by cause: what the compact report records per person, so that
 * people x accounts cells never need to be written out (schema 3).
 */
export type TransitiveGroup = {
  kind: 'chain';
  /** The chain's hops before its last (the last is each target's principal). */
  via: ChainHop[];
  /** Sorted by account. */
  targets: Array<{ account: string; path: ChainPath }>;
};

export interface AccessMatrix {
  organization: string;
  /** Every account of the file, sorted by name (the master included). */
  accounts: MatrixAccount[];
  /** Every person, sorted by user name. */
  people: MatrixPerson[];
  /** Every function, sorted by name. */
  functions: MatrixFunction[];
  /** Every pipeline name, sorted. */
  pipelines: string[];
  /** Every machine principal's access, by principal, function, then account. */
  principals: PrincipalPath[];
  /** The cell of one person on one account (cached; cheap to call for every pair). */
  cell(person: string, account: string): AccessCell;
  /** What a function holds on one account on its own, members or not (its own paths and their closure). */
  functionCell(fn: string, account: string): FunctionCell;
  /** A person's transitive paths (the engine's chains), grouped by the chain before its last hop. */
  transitive(person: string): TransitiveGroup[];
  /** A function's own transitive paths (its members' and its changed pipelines' closure), grouped by cause. */
  functionTransitive(fn: string): TransitiveGroup[];
  /** The function's highest role on the account (its best direct path), or undefined where it is not granted. */
  role(fn: string, account: string): RoleAccess | undefined;
  /** Every role the function holds on the account, sorted by role name (several since issue 20). */
  roles(fn: string, account: string): RoleAccess[];
  /** The function's group's own policies in the identity account (identityPermissions), or undefined. */
  groupPolicy(fn: string): RoleAccess | undefined;
  /** What a pipeline applies each account with, sorted by account. */
  pipelineCredentials(pipeline: string): PipelineCredential[];
  /** The level of one permission set on one account. */
  permissionSetLevel(set: string, account: string): LevelEvidence;
  /** The accounts a pipeline applies to, sorted. */
  pipelineAccounts(pipeline: string): string[];
}
