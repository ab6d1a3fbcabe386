/**
 * iam-simulate's runSimulation without the per-request costs that make a few
 * hundred org files take minutes: policies validated and loaded once (not on
 * every request), action and resource-type look-ups cached. The decision is
 * still iam-simulate's own: the same core `authorize` runSimulation calls,
 * fed the same way (its wildcard-resource expansion, context normalisation
 * and default RCP are reproduced step by step from simulationEngine.js of the
 * pinned version). `checkedSimulate` runs the public runSimulation on the
 * same request, and the oracle test compares the two on real plans.
 *
 * Tests only: iam-simulate is AGPL and a dev dependency.
 */
import * as path from 'path';
import { runSimulation, type RequestAnalysis, type Simulation } from '@cloud-copilot/iam-simulate';
import { actionMatchesPattern } from '@cloud-copilot/iam-utils';
import {
  createValidatedPolicy,
  loadPolicy,
  validateIdentityPolicy,
  validateResourceControlPolicy,
  validateResourcePolicy,
  validateServiceControlPolicy,
} from '@cloud-copilot/iam-policy';

export type Doc = { Version: string; Statement: Array<Record<string, unknown>> };
export type PolicyKind = 'identity' | 'scp' | 'rcp' | 'resource';

export interface FastRequest {
  principal: string;
  action: string;
  resource: string;
  accountId: string;
  context: Record<string, string>;
  identity: Doc[];
  /** The caller account's SCPs (FullAWSAccess included), or none outside an organisation's members. */
  scps: Doc[];
  scpOrg: string;
  /** The resource account's RCPs (without RCPFullAWSAccess, which is added as runSimulation does). */
  rcps: Doc[];
  rcpOrg: string;
  resourcePolicy?: Doc;
}

export interface FastResult {
  /** `error`: a request the action cannot take (runSimulation's error result), e.g. a resource of another type. */
  result: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'error';
  analyses: RequestAnalysis[];
}

const SIMULATE_DIR = path.dirname(require.resolve('@cloud-copilot/iam-simulate'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const internal = (file: string) => require(path.join(SIMULATE_DIR, file)) as Record<string, (...args: never[]) => unknown>;
const core = internal('core_engine/CoreSimulatorEngine.js');
const requestModule = internal('request/request.js');
const contextModule = internal('requestContext.js');
const discovery = internal('context_keys/discoveryContextKeyConstraints.js');
const engine = internal('simulation_engine/simulationEngine.js');
const policyResources = internal('simulation_engine/policyResources.js');
const resourceTypesModule = internal('simulation_engine/resourceTypes.js');
const overall = internal('simulation_engine/overallResult.js');
const resourceStrings = internal('util/resourceStrings.js');
const util = internal('util.js');

type Ctor = new (...args: unknown[]) => unknown;
const AwsRequestImpl = requestModule.AwsRequestImpl as unknown as Ctor;
const RequestContextImpl = contextModule.RequestContextImpl as unknown as Ctor;
const DiscoveryContextKeyConstraints = discovery.DiscoveryContextKeyConstraints as unknown as Ctor;

const DEFAULT_RCP_ARN = 'arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess';
const DEFAULT_RCP: Doc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};

const VALIDATORS: Record<PolicyKind, (policy: unknown) => unknown[]> = {
  identity: validateIdentityPolicy as never,
  scp: validateServiceControlPolicy as never,
  rcp: validateResourceControlPolicy as never,
  resource: validateResourcePolicy as never,
};

const validatedDocs = new Map<PolicyKind, WeakMap<Doc, unknown>>();
/** The policy as runSimulation takes it: validated once. A document that does not validate fails loudly. */
export function validated(kind: PolicyKind, doc: Doc): unknown {
  let byDoc = validatedDocs.get(kind);
  if (!byDoc) validatedDocs.set(kind, (byDoc = new WeakMap()));
  let v = byDoc.get(doc);
  if (v === undefined) {
    v = createValidatedPolicy(doc, VALIDATORS[kind] as never);
    const errors = (v as { errors: unknown[] }).errors;
    if (errors.length > 0) throw new Error(`a ${kind} policy does not validate: ${JSON.stringify(errors)}\n${JSON.stringify(doc)}`);
    byDoc.set(doc, v);
  }
  return v;
}

let names = 0;
const loaded = new WeakMap<Doc, unknown>();
function load(kind: PolicyKind, doc: Doc, name?: string): unknown {
  let policy = loaded.get(doc);
  if (policy === undefined) {
    // runSimulation adds RCPFullAWSAccess unvalidated (an Allow, which a caller's RCP may not be).
    if (doc !== DEFAULT_RCP) validated(kind, doc);
    policy = loadPolicy(doc, { name: name ?? `policy-${names++}` });
    loaded.set(doc, policy);
  }
  return policy;
}

const memo = new Map<string, Promise<unknown>>();
function cached<T>(key: string, run: () => Promise<T>): Promise<T> {
  let value = memo.get(key);
  if (!value) memo.set(key, (value = run()));
  return value as Promise<T>;
}

/**
 * A resource as far as its resource type goes (memo keys only): account ids and IAM names do not change which type
 * an ARN is, so `arn:aws:iam::111111111111:role/a` and `...:222222222222:role/b` share one look-up.
 */
const shapes = new Map<string, string>();
function shape(resource: string): string {
  let known = shapes.get(resource);
  if (known === undefined) shapes.set(resource, (known = shapeOf(resource)));
  return known;
}
function shapeOf(resource: string): string {
  return resource.replace(/:\d{12}:/, ':ACCOUNT:').replace(/^(arn:aws:iam::ACCOUNT:(?:role|user|group|policy))\/[^*?]*$/, '$1/NAME');
}

interface ResourceType {
  key: string;
}

const discoveryConstraints = new WeakMap<object, unknown>();
const contextKeys = new WeakMap<object, string>();

/** runSimulation in Discovery mode, with the constraints given, minus the repeated work. */
export async function fastSimulate(
  request: FastRequest,
  constraints: Array<{ keyName: string; presenceIsKnown: true; valueIsKnown: true }>,
): Promise<FastResult> {
  const { action, resource } = request;
  const parts = action.split(':');
  if (parts.length !== 2) return { result: 'error', analyses: [] };
  const [service, name] = parts;
  const wildcardOnly = await cached(
    `wildcardOnly ${action}`,
    () => util.isWildcardOnlyAction(service as never, name as never) as Promise<boolean>,
  );
  const hasWildcard = resource.includes('*');
  let resourceTypes: ResourceType[] | undefined;
  if (wildcardOnly) {
    if (resource !== '*') return { result: 'error', analyses: [] };
  } else {
    resourceTypes = await cached(
      `types ${action} ${shape(resource)}`,
      () => resourceTypesModule.getResourceTypesForAction(service as never, name as never, resource as never) as Promise<ResourceType[]>,
    );
    if (resourceTypes.length === 0 || (resourceTypes.length > 1 && !hasWildcard)) return { result: 'error', analyses: [] };
  }
  const identityPolicies = request.identity.map((doc) => load('identity', doc));
  const serviceControlPolicies =
    request.scps.length > 0 ? [{ orgIdentifier: request.scpOrg, policies: request.scps.map((d) => load('scp', d)) }] : [];
  const resourceControlPolicies =
    request.rcps.length > 0
      ? [
          {
            orgIdentifier: request.rcpOrg,
            policies: [load('rcp', DEFAULT_RCP, DEFAULT_RCP_ARN), ...request.rcps.map((d) => load('rcp', d))],
          },
        ]
      : [];
  const resourcePolicy = request.resourcePolicy ? load('resource', request.resourcePolicy) : undefined;
  let constraintSet = discoveryConstraints.get(constraints);
  if (!constraintSet) discoveryConstraints.set(constraints, (constraintSet = new DiscoveryContextKeyConstraints(constraints)));

  // runSimulation's context normalisation (which keys apply to this action and resource type, typed), computed once
  // per action, resource shape, type and set of keys, then applied to each request's values.
  const contextFor = async (type: ResourceType | undefined) => {
    let keyList = contextKeys.get(request.context);
    if (keyList === undefined) contextKeys.set(request.context, (keyList = Object.keys(request.context).sort().join(',')));
    const keys = keyList.split(',');
    const memoKey = `context ${action} ${shape(resource)} ${type?.key ?? ''} ${keyList}`;
    const mapping = await cached(memoKey, async () => {
      const simulation = { request: { action, resource: { resource, accountId: request.accountId }, contextVariables: request.context } };
      const normalised = (await engine.normalizeSimulationParameters(simulation as never, type as never)) as {
        validContextValues: Record<string, string | string[]>;
      };
      const out = new Map<string, { key: string; array: boolean }>();
      for (const [key, value] of Object.entries(normalised.validContextValues)) {
        const original = keys.find((k) => k.toLowerCase() === key.toLowerCase());
        if (original !== undefined) out.set(original, { key, array: Array.isArray(value) });
      }
      return out;
    });
    const values: Record<string, string | string[]> = {};
    for (const [original, { key, array }] of mapping) values[key] = array ? [request.context[original]] : request.context[original];
    return values;
  };
  const authorizeAt = (resourceString: string, context: Record<string, string | string[]>) =>
    core.authorize({
      request: new AwsRequestImpl(
        request.principal,
        { resource: resourceStrings.expandShortArn(resourceString as never), accountId: request.accountId },
        action,
        new RequestContextImpl(context),
        wildcardOnly,
      ),
      sessionPolicy: undefined,
      identityPolicies,
      serviceControlPolicies,
      resourceControlPolicies,
      resourcePolicy,
      permissionBoundaries: undefined,
      vpcEndpointPolicies: undefined,
      simulationParameters: { simulationMode: 'Discovery', discoveryContextKeyConstraints: constraintSet },
      serviceSettings: { s3: { blockPublicAccess: undefined } },
    } as never) as RequestAnalysis;

  if (!(hasWildcard && !wildcardOnly)) {
    const analysis = authorizeAt(resource, await contextFor(undefined));
    return { result: analysis.result, analyses: [analysis] };
  }
  const results: Array<{ analysis: RequestAnalysis }> = [];
  for (const type of resourceTypes ?? []) {
    const context = await contextFor(type);
    const exact = authorizeAt(resource, context);
    if (exact.result === 'ExplicitlyDenied') results.push({ analysis: exact });
    else if (exact.result !== 'ImplicitlyDenied') {
      const strings = new Set([
        ...(policyResources.getMatchingResourceStringsForPolicies(
          identityPolicies as never,
          action as never,
          type as never,
          resource as never,
          true as never,
        ) as string[]),
        ...(policyResources.getMatchingResourceStringsForPolicies(
          [resourcePolicy] as never,
          action as never,
          type as never,
          resource as never,
          false as never,
        ) as string[]),
      ]);
      for (const s of strings) results.push({ analysis: authorizeAt(s, context) });
    }
  }
  return { result: overall.calculateOverallResult(results as never) as FastResult['result'], analyses: results.map((r) => r.analysis) };
}

const policyStatements = (doc: Doc) => (load('identity', doc) as { statements(): unknown[] }).statements();

/**
 * Cheap and exact screens, by iam-simulate's own action matcher: without a resource policy, a request no identity
 * Allow statement names is implicitly denied; one an SCP denies with no condition on every resource is explicitly denied.
 */
export function identityMayAllow(identity: Doc[], action: string): boolean {
  return identity.some((doc) =>
    policyStatements(doc).some((st) => policyResources.statementAllowsAction(st as never, action as never) as boolean),
  );
}

export function scpDeniesOutright(scps: Doc[], action: string): boolean {
  const matches = actionMatchesPattern as (action: string, pattern: string) => boolean;
  const values = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);
  return scps.some((doc) =>
    doc.Statement.some((st) => {
      if (st.Effect !== 'Deny' || st.Condition !== undefined || st.NotResource !== undefined) return false;
      if (!(values(st.Resource) ?? []).includes('*')) return false;
      const actions = values(st.Action);
      const notActions = values(st.NotAction);
      if (actions) return actions.some((pattern) => matches(action, pattern));
      return notActions !== undefined && !notActions.some((pattern) => matches(action, pattern));
    }),
  );
}

/** The same request through the public runSimulation, for the cross-check. */
export async function checkedSimulate(
  request: FastRequest,
  constraints: Array<{ keyName: string; presenceIsKnown: true; valueIsKnown: true }>,
): Promise<FastResult> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.accountId },
      contextVariables: request.context,
    },
    identityPolicies: request.identity.map((doc, i) => ({ name: `p${i}`, policy: doc })),
    serviceControlPolicies:
      request.scps.length > 0
        ? [{ orgIdentifier: request.scpOrg, policies: request.scps.map((doc, i) => ({ name: `s${i}`, policy: doc })) }]
        : [],
    resourceControlPolicies:
      request.rcps.length > 0
        ? [{ orgIdentifier: request.rcpOrg, policies: request.rcps.map((doc, i) => ({ name: `r${i}`, policy: doc })) }]
        : [],
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
  };
  const result = await runSimulation(simulation, { simulationMode: 'Discovery', discoveryContextKeyConstraints: constraints });
  if (result.resultType === 'error') return { result: 'error', analyses: [] };
  return {
    result: result.overallResult,
    analyses: result.resultType === 'single' ? [result.result.analysis] : result.results.map((r) => r.analysis),
  };
}
