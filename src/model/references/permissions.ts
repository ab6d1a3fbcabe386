/** The reference checks of permissions: statements (conditions, actions, sids) and managed policies, resolved to ARNs. */
import type { PermissionSet } from '../schema';
import type { KeyPath } from '../diagnostics';
import type { Message } from '../messages';
import * as msg from '../reference-messages';
import { closest, didYouMean } from '../suggest';
import { actionExists, actionsNamed, expandActionPattern, hasWildcard, listActions, listServices, serviceExists } from '../../iam/actions';
import { findManagedPolicy, type ManagedPolicy, managedPolicyNames } from '../../iam/managed-policies';
import { allConditionOperators, conditionKeyProblem, conditionOperatorExists } from '../../iam/conditions';
import { LIMITS } from '../../limits';
import type { CheckContext } from './resolution';

export function checkPermissions(c: CheckContext): void {
  const sets = c.s.permissions;
  if (!sets) return;
  for (const [name, set] of Object.entries(sets)) {
    c.checkName(['permissions', name], 'permission set', name, { max: LIMITS.permissionSetNameChars, why: 'it is the inline policy name' });
    if (!set) continue;
    const sids = new Map<string, number>();
    (set.statements ?? []).forEach((statement, i) => {
      checkStatement(c, ['permissions', name, 'statements', i], statement);
      if (statement.sid === undefined) return;
      const first = sids.get(statement.sid);
      if (first !== undefined) c.report(['permissions', name, 'statements', i, 'sid'], msg.duplicateSid(statement.sid, first));
      else sids.set(statement.sid, i);
    });
    const arns: string[] = [];
    (set.managed ?? []).forEach((ref, i) => {
      const path: KeyPath = ['permissions', name, 'managed', i];
      const policy = findManagedPolicy(ref);
      if (!policy) c.report(path, msg.unknownManagedPolicy(ref, suggestManagedPolicy(ref)));
      else if (arns.includes(policy.arn)) c.report(path, msg.duplicateManagedPolicy(ref, policy.arn));
      else arns.push(policy.arn);
    });
    c.managedPolicyArns[name] = arns;
    (set.statements ?? []).forEach((statement, i) => {
      statement.actions.forEach((action, j) => {
        const problem = checkAction(action);
        if (problem) c.report(['permissions', name, 'statements', i, 'actions', j], problem);
      });
    });
  }
}

function checkStatement(c: CheckContext, path: KeyPath, statement: NonNullable<PermissionSet['statements']>[number]): void {
  for (const [operator, keys] of Object.entries(statement.conditions ?? {})) {
    if (!conditionOperatorExists(operator)) {
      c.report([...path, 'conditions', operator], msg.unknownConditionOperator(operator, didYouMean(operator, allConditionOperators())));
    }
    for (const key of Object.keys(keys)) {
      const problem = conditionKeyProblem(key);
      if (problem)
        c.report(
          [...path, 'conditions', operator, key],
          msg.unknownConditionKey(key, problem.service, didYouMean(key, problem.candidates)),
        );
    }
  }
}

/** How a policy is best written in the file: its name, or path/name off the root path. */
function policyRef(policy: ManagedPolicy, asArn: boolean): string {
  if (asArn) return policy.arn;
  return policy.path === '/' ? policy.name : `${policy.path.slice(1)}${policy.name}`;
}

/** The managed policy the user most likely meant, written in the form they used. */
function suggestManagedPolicy(ref: string): string | undefined {
  const asArn = ref.startsWith('arn:');
  const name = ref.split('/').pop() ?? ref;
  const exact = findManagedPolicy(name); // right name, wrong path
  if (exact) return policyRef(exact, asArn);
  const match = closest(name, managedPolicyNames());
  return match === undefined ? undefined : policyRef(findManagedPolicy(match)!, asArn);
}

/** Why an action in a statement is not acceptable, or undefined when it is fine. */
export function checkAction(action: string): Message | undefined {
  if (action === '*') return undefined;
  const parts = action.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return msg.invalidActionSyntax(action);
  const [service] = parts;
  const name = parts[1];
  if (!hasWildcard(service) && !serviceExists(service)) {
    // The closest service that has an action close to this one; its closest action (never an invalid suggestion).
    const near = closest(service, listServices());
    const fallback = near === undefined ? undefined : closest(`${near}:${name}`, listActions(near));
    return msg.unknownActionService(action, service, msg.suggestAction(action, service, fallback ? [fallback] : [], actionsNamed(name)));
  }
  if (hasWildcard(action)) return expandActionPattern(action).length === 0 ? msg.patternMatchesNothing(action) : undefined;
  if (actionExists(action)) return undefined;
  return msg.unknownAction(action, msg.suggestAction(action, service, listActions(service), hasWildcard(name) ? [] : actionsNamed(name)));
}
