/**
 * The person x account (and function x account) access matrix (SPEC
 * sections 1 and 5): who can do how much where.
 *
 * Access is transitive (SPEC section 1). A holder's direct paths are its
 * functions' roles and group policies and its pipelines' credentials
 * (src/plan/pipelines.ts, from the plan's deploy); everything further
 * (joining a group through the identity account, the management account's
 * OrganizationAccountAccessRole, assume chains, escalation, machine
 * principals) is the access engine's closure over the documents the plan
 * emits (src/access/), a chain path naming every hop, wherever it reaches
 * more than the direct paths.
 *
 * The shapes are in ./access-types.ts, permission set levels in
 * ./access-levels.ts, and how paths are named, ordered and composed into a
 * cell in ./access-paths.ts (shared with the report index and guardrails).
 *
 * Pure and cached: a function's role is computed once per account, and the
 * closure once per distinct (functions, pipelines) combination, so a
 * matrix of thousands of people costs little more than one of a handful.
 */
import type { Model } from '../model/model';
import type { AccessLevel } from '../model/schema';
import { compareAccessLevel } from '../iam/actions';
import { AccessEngine } from '../access/engine';
import { estateFromPlan, identityCenterRoleArn, planContext, type PlanContext } from '../access/from-plan';
import { identityCenterAccountName, usesIamUsers, usesIdentityCenter } from '../model/identity-center';
import { permissionSetName } from './identity-center';
import type { AccountReach } from '../access/graph';
import { buildPlan } from './build';
import type { OrgPlan, PolicyDocument } from './types';
import type { LevelEvidence } from '../access/levels';
import { identityAccount, masterAccount, roleArn } from './names';
import { APPLY_EVIDENCE_ACTION, pipelineCredentials, type PipelineCredential } from './pipelines';
import { higher, permissionSetLevel } from './access-levels';
import { chainPath, composeCell, pathLabel, sortPaths } from './access-paths';
import type {
  AccessCell,
  AccessMatrix,
  AccessPath,
  CellAccess,
  ChainPath,
  FunctionCell,
  MatrixAccount,
  MatrixFunction,
  MatrixPerson,
  PipelinePath,
  PrincipalPath,
  RoleAccess,
  TransitiveGroup,
} from './access-types';

export type * from './access-types';
export {
  allowedActions,
  analyseActions,
  levelOfActions,
  resourceMatches,
  permissionSetActionsAbove,
  permissionSetContentKey,
  permissionSetLevel,
  type AllowedActions,
  type LevelEvidence,
} from './access-levels';
export { chainPath, chainText, pathLabel, type NameablePath } from './access-paths';

/**
 * What a pipeline's apply credentials do that makes its changers `admin`
 * holders: rolecall's own stacks write role policies (aws_iam_role_policy).
 */
export const PIPELINE_EVIDENCE_ACTION = APPLY_EVIDENCE_ACTION;

/** The role every member account has for its management account, whatever deploy.assumeRoleName says. */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

type Shared = Omit<CellAccess, 'account'>;
const EMPTY: Shared = {
  level: 'none',
  functions: [],
  roles: [],
  permissionSets: [],
  pipelines: [],
  paths: [],
};

/** Every path of one signature, per account; the cells (`Shared`) are built from them on demand. */
interface Closure {
  raw: Map<string, AccessPath[]>;
  done: Map<string, Shared>;
  /** What the access engine finds for the same holder, per account (read on first use). */
  engine?: () => Map<string, AccountReach>;
}

interface Signature {
  functions: string[];
  pipelines: Array<{ pipeline: string; changer: PipelinePath['changer'] }>;
}

/** True when some identity document of the plan ends by the clock (DateLessThan aws:CurrentTime): only then are ends looked up. */
function groupsEndByClock(plan: OrgPlan): boolean {
  return plan.stacks.some((stack) => stack.groups.some((g) => g.policies.some((p) => documentEnds(p.document).length > 0)));
}

/** The DateLessThan aws:CurrentTime instants of a document's Allow statements. */
function documentEnds(document: PolicyDocument): string[] {
  const out: string[] = [];
  for (const s of document.Statement) {
    if (s.Effect !== 'Allow') continue;
    const value = s.Condition?.DateLessThan?.['aws:CurrentTime'];
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.push(v);
  }
  return out;
}

/**
 * Each person's time-bound memberships as the plan emits them: per function, the latest end of the
 * statements of the person's own policies standing for it (ManagedPolicyPlan.membershipOf).
 */
function planMembershipEnds(plan: OrgPlan): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const stack of plan.stacks) {
    for (const user of stack.users) {
      for (const policy of user.policies ?? []) {
        if (policy.membershipOf === undefined) continue;
        const ends = documentEnds(policy.document).sort();
        if (ends.length === 0) continue;
        const mine = out.get(user.key) ?? {};
        const end = ends[ends.length - 1];
        if (mine[policy.membershipOf] === undefined || mine[policy.membershipOf] < end) mine[policy.membershipOf] = end;
        out.set(user.key, mine);
      }
    }
  }
  return out;
}

/**
 * The access matrix of a model. The direct paths (functions, pipelines) and
 * the named transitive rules (join, management) come from the model's
 * grants; the access engine (src/access/), over the documents the plan
 * emits, adds a chain path wherever it finds more (escalation, assume
 * chains, machine principals, pipeline credentials): a cell is never lower
 * than either.
 */
export function buildAccessMatrix(model: Model, plan?: OrgPlan): AccessMatrix {
  const { org } = model;
  let planned: OrgPlan | undefined = plan;
  const thePlan = (): OrgPlan => (planned ??= buildPlan(model));
  let engineInstance: AccessEngine | undefined;
  let contextInstance: PlanContext | undefined;
  const context = (): PlanContext => (contextInstance ??= planContext(model));
  const engine = (): AccessEngine => (engineInstance ??= new AccessEngine(estateFromPlan(thePlan(), context())));
  const master = masterAccount(org).name;
  const identity = identityAccount(org).name;
  const accountNames = Object.keys(org.accounts).sort();
  const accounts: MatrixAccount[] = accountNames.map((name) => ({
    name,
    id: org.accounts[name].id,
    data: org.accounts[name].data,
    environment: org.accounts[name].environment,
    master: name === master,
    identity: name === identity,
  }));
  const functionNames = Object.keys(org.functions).sort();

  const pipelineNames = Object.keys(org.pipelines).sort();
  // What each pipeline applies with, as the plan's deploy says (the plan is built for it only when there is a pipeline).
  const credentials = pipelineNames.length > 0 ? pipelineCredentials(thePlan(), context()) : new Map<string, PipelineCredential[]>();
  const pipelineAccountSets = new Map<string, Set<string>>();
  /** The accounts a pipeline has credentials for, as a set (asked once per holder and account). */
  const pipelineAccountSet = (pipeline: string): Set<string> => {
    let found = pipelineAccountSets.get(pipeline);
    if (found === undefined) pipelineAccountSets.set(pipeline, (found = new Set((credentials.get(pipeline) ?? []).map((c) => c.account))));
    return found;
  };

  const changerPipelines = (functions: string[]): Signature['pipelines'] => {
    const out: Signature['pipelines'] = [];
    for (const pipeline of pipelineNames) {
      // Changers are functions: their members can merge to what the pipeline applies.
      const via = [...org.pipelines[pipeline].changers].sort().find((c) => functions.includes(c));
      if (via !== undefined) out.push({ pipeline, changer: { kind: 'function', name: via } });
    }
    return out;
  };

  // Time-bound memberships' ends, read from the people's own policies in the plan (only built when some membership is).
  const membershipEnds = Object.values(org.people).some((p) => p.until !== undefined && Object.keys(p.until).length > 0)
    ? planMembershipEnds(thePlan())
    : new Map<string, Record<string, string>>();
  const people: MatrixPerson[] = Object.keys(org.people)
    .sort()
    .map((name) => {
      const functions = [...new Set(org.people[name].functions)].sort();
      const until = membershipEnds.get(name);
      return {
        name,
        displayName: org.people[name].name,
        functions,
        ...(until ? { until: { ...until } } : {}),
        pipelines: changerPipelines(functions),
      };
    });
  const personByName = new Map(people.map((p) => [p.name, p]));
  const functions: MatrixFunction[] = functionNames.map((name) => {
    const entry: MatrixFunction = {
      name,
      members: people.filter((p) => p.functions.includes(name)).map((p) => p.name),
      pipelines: pipelineNames.filter((p) => org.pipelines[p].changers.includes(name)),
    };
    const description = org.functions[name].description;
    return description === undefined ? entry : { ...entry, description };
  });

  const onIdentityCenter = usesIdentityCenter(org.organization) && org.organization.identityCenter !== undefined;
  const delegatedCenter = onIdentityCenter && identityCenterAccountName(org.organization) !== master;
  // Time-bound grants: the end of each role's assume, as the engine reads the group's emitted policy (never the file's until).
  // (The plan is built for it only when the file has a time-bound grant: most files have none.)
  const timeBound =
    (plan !== undefined ||
      Object.values(model.grants).some((byAccount) => Object.values(byAccount).some((gs) => gs.some((g) => g.until)))) &&
    groupsEndByClock(thePlan());
  const assumeEnds = new Map<string, Map<string, { until?: string }>>();
  const assumeEnd = (fn: string, arn: string): string | undefined => {
    if (!timeBound) return undefined;
    let found = assumeEnds.get(fn);
    if (found === undefined) assumeEnds.set(fn, (found = engine().memberAssumes(identity, [fn])));
    return found.get(arn)?.until;
  };

  /** By function, then account. */
  const roleCache = new Map<string, Map<string, RoleAccess[]>>();
  /**
   * The function's roles on the account (a function may hold several there, issue 20), sorted by role
   * name; empty where the function is not granted. Each carries its `until` where the grant has one.
   */
  function functionRoles(fn: string, account: string): RoleAccess[] {
    let byAccount = roleCache.get(fn);
    if (byAccount === undefined) roleCache.set(fn, (byAccount = new Map()));
    const cached = byAccount.get(account);
    if (cached !== undefined) return cached;
    const result: RoleAccess[] = [];
    for (const grant of model.grants[fn]?.[account] ?? []) {
      const sets = [...new Set(grant.permissionSets)].sort();
      if (sets.length === 0) continue;
      const permissionSets = sets.map((name) => ({ name, ...permissionSetLevel(model, name, account) }));
      const best = permissionSets.reduce<LevelEvidence>((acc, s) => higher({ level: s.level, action: s.action }, acc), { level: 'none' });
      const id = org.accounts[account]?.id;
      const role = grant.role;
      const access: RoleAccess = {
        function: fn,
        group: fn,
        role,
        roleArn: id ? roleArn(id, org.organization.rolePath, role) : undefined,
        permissionSets,
        level: best.level,
        action: best.action,
      };
      const until = access.roleArn !== undefined ? assumeEnd(fn, access.roleArn) : undefined;
      if (until !== undefined) access.until = until;
      if (onIdentityCenter) {
        // As src/plan/identity-center.ts names it (a delegated administrator's management account holds a copy).
        const name = permissionSetName(role, grant.permissionSets, delegatedCenter && account === master);
        const arn = id ? identityCenterRoleArn('aws', id, name) : undefined;
        access.identityCenter = { permissionSet: name, ...(arn ? { roleArn: arn } : {}) };
        if (!usesIamUsers(org.organization)) {
          if (arn) access.roleArn = arn;
          else delete access.roleArn;
        }
      }
      if (role !== fn) access.roleFunctions = functionNames.filter((f) => (model.grants[f]?.[account] ?? []).some((g) => g.role === role));
      result.push(access);
    }
    byAccount.set(account, result);
    return result;
  }
  /** The function's highest role on the account (ties: the first by name), or null where it is not granted. */
  function functionRole(fn: string, account: string): RoleAccess | null {
    let best: RoleAccess | null = null;
    for (const r of functionRoles(fn, account)) if (best === null || compareAccessLevel(r.level, best.level) > 0) best = r;
    return best;
  }

  const groupCache = new Map<string, RoleAccess | null>();
  /** The function's group policies in the identity account (identityPermissions), or null. */
  function groupPolicies(fn: string): RoleAccess | null {
    const cached = groupCache.get(fn);
    if (cached !== undefined) return cached;
    const value = org.functions[fn]?.identityPermissions;
    const sets = value === undefined ? [] : [...new Set(typeof value === 'string' ? [value] : value)].sort();
    let result: RoleAccess | null = null;
    if (sets.length > 0) {
      const permissionSets = sets.map((name) => ({ name, ...permissionSetLevel(model, name, identity) }));
      const best = permissionSets.reduce<LevelEvidence>((acc, s) => higher({ level: s.level, action: s.action }, acc), { level: 'none' });
      result = { function: fn, group: fn, role: '', groupPolicy: true, permissionSets, level: best.level, action: best.action };
    }
    groupCache.set(fn, result);
    return result;
  }

  /**
   * The paths a signature holds directly, per account: its functions' roles
   * and group policies, its pipelines' credentials. Everything further (group
   * joins, the management account, assume chains, escalation) is the access
   * engine's closure over the plan's documents (a chain path, sharedAt).
   * `machine`: the holder assumes the functions' roles but is no member of
   * their groups (a machine principal): no group policies.
   */
  function closure(sig: Signature, machine = false): Closure {
    const byAccount = new Map<string, AccessPath[]>();
    const add = (account: string, path: AccessPath) => {
      let list = byAccount.get(account);
      if (list === undefined) byAccount.set(account, (list = []));
      list.push(path);
    };
    const grantedAt = (fn: string): string[] => Object.keys(model.grants[fn] ?? {});
    // A person's time-bound memberships (read from their own policies): each of the function's role paths ends by then.
    const ends = 'until' in sig ? (sig as MatrixPerson).until : undefined;
    for (const fn of sig.functions) {
      const membership = ends?.[fn];
      for (const account of grantedAt(fn)) {
        for (const role of functionRoles(fn, account)) {
          const until = membership !== undefined && (role.until === undefined || membership < role.until) ? membership : role.until;
          add(account, until === role.until ? { kind: 'function', ...role } : { kind: 'function', ...role, until });
        }
      }
      const group = machine ? null : groupPolicies(fn);
      if (group) add(identity, { kind: 'function', ...group });
    }
    for (const p of sig.pipelines) {
      for (const cred of credentials.get(p.pipeline) ?? []) {
        add(cred.account, {
          kind: 'pipeline',
          pipeline: p.pipeline,
          changer: p.changer,
          credentials: cred,
          level: cred.level,
          action: cred.action,
        });
      }
    }
    return { raw: byAccount, done: new Map() };
  }

  /** A cell of a closure, built on first use: reports that need only the transitive groups never pay for people x accounts cells. */
  function sharedAt(c: Closure, account: string): Shared | undefined {
    const done = c.done.get(account);
    if (done !== undefined) return done;
    const unsorted = c.raw.get(account) ?? [];
    const found = c.engine?.().get(account);
    if (unsorted.length === 0 && found === undefined) return undefined;
    const paths = sortPaths(unsorted);
    let top: AccessLevel = 'none';
    for (const path of paths) if (compareAccessLevel(path.level, top) > 0) top = path.level;
    // The engine's chain, where it finds more than the paths above (never less: the cell errs high).
    if (found !== undefined && compareAccessLevel(found.level, top) > 0) paths.push(chainPath(found));
    if (paths.length === 0) return undefined;
    const shared: Shared = composeCell<AccessPath>(paths, (p) => p.action);
    c.done.set(account, shared);
    return shared;
  }

  // People with the same functions and pipelines have the same cells: one closure per signature.
  const closures = new Map<string, Closure>();
  // Keyed once per signature object (a person's entry is asked for again and again by reports and diff).
  const signatureKeys = new WeakMap<Signature, string>();
  const signatureKey = (sig: Signature) => {
    let key = signatureKeys.get(sig);
    if (key === undefined) {
      key = `${sig.functions.join(',')}#${sig.pipelines.map((x) => `${x.pipeline}:${x.changer.name}`).join(',')}`;
      signatureKeys.set(sig, key);
    }
    return key;
  };
  /**
   * The engine's view of a holder: a person's principals (their IAM user, their identity store user on
   * Identity Center, both while both backends run), or a member of one function's groups alone.
   */
  const userArns = new Map<string, string[]>();
  const arnsOf = (name: string): string[] | undefined => {
    if (userArns.size === 0) {
      const e = engine().estate;
      for (const u of [...e.users, ...(e.identityCenter?.users ?? [])]) userArns.set(u.name, [...(userArns.get(u.name) ?? []), u.arn]);
    }
    return userArns.get(name);
  };
  function engineReach(sig: Signature): () => Map<string, AccountReach> {
    if ('name' in sig) {
      const name = (sig as MatrixPerson).name;
      return () => {
        const arns = arnsOf(name);
        return arns === undefined ? new Map() : arns.length === 1 ? engine().person(arns[0]) : engine().people(arns);
      };
    }
    return () => engine().members(identity, sig.functions);
  }
  /** People sharing a signature share a closure, unless the engine tells them apart (a document names one). */
  function engineKey(sig: Signature): string {
    if (!('name' in sig)) return '';
    const arns = arnsOf((sig as MatrixPerson).name);
    return arns === undefined ? '' : `@${engine().personKey(arns.length === 1 ? arns[0] : arns)}`;
  }
  // Keyed once per signature object, as signatureKey: every cell of a person asks for it again.
  const closureKeys = new WeakMap<Signature, string>();
  function closureKey(sig: Signature): string {
    let key = closureKeys.get(sig);
    if (key === undefined) closureKeys.set(sig, (key = signatureKey(sig) + engineKey(sig)));
    return key;
  }
  function closureOf(sig: Signature): Closure {
    const key = closureKey(sig);
    let found = closures.get(key);
    if (found === undefined) {
      found = closure(sig);
      found.engine = engineReach(sig);
      closures.set(key, found);
    }
    return found;
  }
  const chainGroupCache = new Map<string, TransitiveGroup[]>();
  /**
   * The engine's chain paths of a holder, grouped by the chain before its
   * last hop. Read without the holder's cells: the level of its paths on an
   * account comes from its functions' roles, pipelines and the light
   * closure's transitive paths; only where the engine finds more is a cell
   * (and a complete closure) built.
   */
  function chainGroups(sig: Signature): TransitiveGroup[] {
    const cacheKey = closureKey(sig);
    const cached = chainGroupCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const directLevel = (account: string): AccessLevel => {
      let best: AccessLevel = 'none';
      const offer = (level: AccessLevel) => {
        if (compareAccessLevel(level, best) > 0) best = level;
      };
      for (const fn of sig.functions) {
        for (const role of functionRoles(fn, account)) offer(role.level);
        if (account === identity) {
          const group = groupPolicies(fn);
          if (group) offer(group.level);
        }
      }
      for (const p of sig.pipelines) if (pipelineAccountSet(p.pipeline).has(account)) offer('admin');
      return best;
    };
    const groups = new Map<string, Extract<TransitiveGroup, { kind: 'chain' }>>();
    const reach = engineReach(sig)();
    const held = new Set(sig.functions);
    for (const account of [...reach.keys()].sort()) {
      const found = reach.get(account)!;
      // A member assuming its own function's role: the function path says as much (at the same level or higher).
      const last = found.chain[found.chain.length - 1];
      const own = found.chain.length === 2 && (engine().graph.node(last.node)?.role?.labels?.functions ?? []).some((f) => held.has(f));
      if (own) continue;
      // Most other accounts: the engine finds what the paths above give; only where it finds more is there a chain.
      if (compareAccessLevel(found.level, directLevel(account)) <= 0) continue;
      const chain = sharedAt(closureOf(sig), account)?.paths.find((p): p is ChainPath => p.kind === 'chain');
      if (chain === undefined) continue;
      const via = chain.chain.slice(0, -1);
      const key = JSON.stringify(via);
      let group = groups.get(key);
      if (group === undefined) groups.set(key, (group = { kind: 'chain', via, targets: [] }));
      group.targets.push({ account, path: chain });
    }
    const out = [...groups.values()];
    chainGroupCache.set(cacheKey, out);
    return out;
  }
  // Machine principals: what the engine finds for each (its closure over the plan's documents, without MFA),
  // beside the function's own roles there (also where an account has no id yet, so no role exists).
  const principals: PrincipalPath[] = [];
  for (const fn of functionNames) {
    const named = [...new Set(org.functions[fn].principals ?? [])].sort();
    if (named.length === 0) continue;
    const direct = new Map<string, RoleAccess>();
    for (const account of Object.keys(model.grants[fn] ?? {})) {
      const role = functionRole(fn, account);
      if (role) direct.set(account, role);
    }
    for (const principal of named) {
      const reach = engine().machine(principal);
      for (const account of [...new Set([...direct.keys(), ...reach.keys()])].sort()) {
        const own = direct.get(account);
        const found = reach.get(account);
        let best: LevelEvidence & { path: string } = own
          ? { level: own.level, action: own.action, path: `function ${fn}` }
          : { level: 'none', path: `function ${fn}` };
        let chain: ChainPath | undefined;
        // The engine's chain where it finds more than the role (a machine holds the role, not the group).
        if (found !== undefined && compareAccessLevel(found.level, best.level) > 0) {
          chain = chainPath(found);
          best = { level: chain.level, action: chain.action, path: pathLabel(chain) };
        }
        if (own === undefined && chain === undefined) continue;
        principals.push({
          kind: 'principal',
          principal,
          function: fn,
          account,
          role: own?.role ?? '',
          ...(own?.roleArn ? { roleArn: own.roleArn } : {}),
          permissionSets: own?.permissionSets ?? [],
          level: best.level,
          ...(best.action !== undefined ? { action: best.action } : {}),
          path: best.path,
          ...(chain ? { chain } : {}),
        });
      }
    }
  }
  principals.sort((a, b) =>
    a.principal < b.principal
      ? -1
      : a.principal > b.principal
        ? 1
        : a.function < b.function
          ? -1
          : a.function > b.function
            ? 1
            : a.account < b.account
              ? -1
              : a.account > b.account
                ? 1
                : 0,
  );

  function cell(person: string, account: string): AccessCell {
    const who = personByName.get(person);
    if (who === undefined) throw new Error(`unknown person ${person}`);
    if (!(account in org.accounts)) throw new Error(`unknown account ${account}`);
    return { person, account, ...(sharedAt(closureOf(who), account) ?? EMPTY) };
  }

  function functionCell(fn: string, account: string): FunctionCell {
    if (!(fn in org.functions)) throw new Error(`unknown function ${fn}`);
    if (!(account in org.accounts)) throw new Error(`unknown account ${account}`);
    return { function: fn, account, ...(sharedAt(closureOf({ functions: [fn], pipelines: changerPipelines([fn]) }), account) ?? EMPTY) };
  }

  return {
    organization: org.organization.name,
    accounts,
    people,
    functions,
    pipelines: pipelineNames,
    principals,
    cell,
    functionCell,
    transitive: (person) => {
      const who = personByName.get(person);
      if (who === undefined) throw new Error(`unknown person ${person}`);
      return chainGroups(who);
    },
    functionTransitive: (fn) => {
      if (!(fn in org.functions)) throw new Error(`unknown function ${fn}`);
      const sig = { functions: [fn], pipelines: changerPipelines([fn]) };
      return chainGroups(sig);
    },
    role: (fn, account) => functionRole(fn, account) ?? undefined,
    roles: (fn, account) => functionRoles(fn, account),
    groupPolicy: (fn) => groupPolicies(fn) ?? undefined,
    pipelineCredentials: (pipeline) =>
      [...(credentials.get(pipeline) ?? [])].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0)),
    permissionSetLevel: (set, account) => permissionSetLevel(model, set, account),
    pipelineAccounts: (pipeline) => (credentials.get(pipeline) ?? []).map((c) => c.account),
  };
}
