/**
 * The escalation graph's shapes (nodes, edges, chains, what edge kinds read),
 * apart from the graph itself so that the edge kinds (./edges/) and the
 * graph (./graph.ts) import them without importing each other.
 */
import type { AccessLevel } from '../model/schema';
import type { Caller } from './evaluate';
import type { Estate, EstateAccount, EstateIdcAssignment, EstateRole, PolicyDocument } from './estate';
import type { LevelEvidence } from './levels';

export type NodeKind = 'user' | 'role' | 'machine' | 'admin';

export interface GraphNode {
  /** `user:<signature>`, `role:<arn>`, `machine:<arn>`, `admin:<account name>`. */
  id: string;
  kind: NodeKind;
  /** Account name; empty for a principal outside the estate. */
  account: string;
  arn?: string;
  /** How the node is named in evidence. */
  label: string;
  /** Identity policy documents (user: its own and its groups'; role: its policies). Absent: unknown. */
  documents?: PolicyDocument[];
  /** The caller the node's requests are made as (MFA set per closure). */
  caller: Omit<Caller, 'mfa'>;
  /** Identity documents unknown or all-powerful (admin of an account, machine principals): treated as allowing anything. */
  allowAll?: boolean;
  /** user: its group ARNs; the users it stands for (people sharing the signature). */
  groups?: string[];
  /** An identity store user (IAM Identity Center): no IAM documents; its groups are identity store groups. */
  identityStore?: true;
  users?: string[];
  role?: EstateRole;
  machineKind?: string;
  /** Customer managed policies the node holds (a new version of one is a new policy for it). */
  policyArns?: string[];
  /** The documents its level reads, when not all of them: a person's level leaves out the self-service baseline group. */
  levelDocuments?: PolicyDocument[];
  /** Cache keys of `documents` and of the level's documents (managed ARNs and inline text, not whole documents). */
  docKey?: string;
  levelKey?: string;
}

export type EdgeKind =
  | 'assume'
  | 'admin-of-account'
  | 'self-escalation'
  | 'pass-role'
  | 'account-principal'
  | 'pipeline'
  | 'identity-center'
  | 'identity-center-admin';

export interface GraphEdge {
  to: string;
  kind: EdgeKind;
  action?: string;
  resource?: string;
  /** The edge leans on a condition the evaluator could not decide (it may be high). */
  undecided?: boolean;
  /** The edge holds only until then (DateLessThan aws:CurrentTime). */
  until?: string;
  /** Extra evidence, e.g. the pipeline's name. */
  via?: string;
}

/** One hop of a chain: the node reached and the edge it was reached by (none for the start). */
export interface Hop {
  node: string;
  label: string;
  edge?: GraphEdge;
}

export interface AccountReach {
  account: string;
  level: AccessLevel;
  action?: string;
  /** From a start node to the node setting the level. */
  chain: Hop[];
  undecided: boolean;
  until?: string;
}

/** What edge modules read: the graph's indexes and helpers. */
export interface EdgeContext {
  estate: Estate;
  node(id: string): GraphNode | undefined;
  account(name: string): EstateAccount | undefined;
  accountById(id: string): EstateAccount | undefined;
  roleByArn: Map<string, EstateRole>;
  roles: EstateRole[];
  /** Roles whose trust names a principal of this account id (root or any ARN), or `*`. */
  rolesTrusting(accountId: string): EstateRole[];
  /** rolesTrusting as a set, in the same order (one per account id, shared: do not change it). */
  trustingSet(accountId: string): ReadonlySet<EstateRole>;
  /** Roles whose trust names this principal ARN. */
  rolesNaming(arn: string): EstateRole[];
  /** Every node of an account (users, roles, machines). */
  accountNodes(account: string): string[];
  /** Roles of an account whose trust names an AWS service (what iam:PassRole can hand out). */
  serviceRoles(account: string): EstateRole[];
  userNodeOf(userArn: string): string | undefined;
  /** Identity Center: the assignments of these identity store groups (every one when `groups` is undefined). */
  identityCenterAssignments(groups?: string[]): EstateIdcAssignment[];
  levelOf(node: GraphNode): LevelEvidence;
  /** The actions a node's documents allow somewhere (resource-blind). */
  allowedActions(node: GraphNode): Set<string>;
  /** allowedActions(node).has(action), without building the whole set where the documents allow it apart. */
  mayAllow(node: GraphNode, action: string): boolean;
  /** The caller a node's requests are made as, with MFA. */
  callerOf(node: GraphNode, mfa: boolean): Caller;
}

export interface EdgeKindModule {
  kind: EdgeKind;
  /** The edges out of one node, for holders with (mfa true) or without MFA. */
  edges(node: GraphNode, mfa: boolean, ctx: EdgeContext): GraphEdge[];
}
