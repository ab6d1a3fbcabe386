/**
 * validate's notice for every role the file names as a trust principal
 * (functions.<fn>.principals): IAM resolves a role principal to the role's
 * unique id when the trust policy is written, so
 * - the role must exist before the stack is applied: IAM refuses a trust
 *   naming a missing role (MalformedPolicyDocument, "Invalid principal in
 *   policy");
 * - once it is deleted, the trust keeps the old id (AROA...): a role
 *   recreated under the same name is not trusted, and every plan shows the
 *   trust policy changing until the stack is applied again.
 * An account root principal never has either problem, but trusts whatever
 * that account's administrators allow; rolecall names exact roles, and has
 * no aws:PrincipalArn condition for machine principals. Read from the plan's
 * trust policies, so only a principal some trust names is announced.
 * A notice: it never blocks the plan.
 */
import { noticeAt } from '../../model/diagnostics';
import { listNames, type Message } from '../../model/messages';
import type { RolePlan, StackPlan } from '../../plan/types';
import type { Rule } from '../rule';

/** An IAM role ARN (any path), in any partition. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\//;

/** `trusts`: each trusting role's name -> the stacks it is in. */
export function rolePrincipalNotice(arn: string, trusts: ReadonlyMap<string, readonly string[]>): Message {
  const count = [...trusts.values()].reduce((n, stacks) => n + stacks.length, 0);
  const where = [...trusts].map(([role, stacks]) => `${role} in ${listNames([...stacks], 5)}`).join('; ');
  const they = count === 1 ? 'it is' : 'they are';
  return {
    code: 'RC237',
    message:
      `role ${arn} is trusted by name by ${count} role${count === 1 ? '' : 's'} (${where}): it must exist before ${they} applied ` +
      `(else IAM refuses the trust: MalformedPolicyDocument); deleted and recreated, it is no longer trusted ` +
      `(the trust keeps the old role's unique id, AROA...) and every plan shows the trust changing`,
    fix: `create the role before the first apply; after recreating it, apply ${count === 1 ? 'that stack' : 'those stacks'} again (the apply writes the ARN back, trusting the new role)`,
  };
}

/** The AWS principals a role's trust policy names. */
function awsPrincipals(role: RolePlan): string[] {
  return role.trustPolicy.Statement.flatMap((s) => {
    const aws = s.Principal !== undefined && s.Principal !== '*' ? s.Principal.AWS : undefined;
    return aws === undefined ? [] : typeof aws === 'string' ? [aws] : aws;
  });
}

export const rule: Rule<'plan'> = {
  id: 'role-principal-exists',
  code: 'RC237',
  title: 'Each role named as a trust principal is announced: it must exist before the apply, and a recreated one needs another apply',
  needs: ['plan'],
  check: ({ model, plan }) => {
    // Every role principal -> the trusts naming it, with the functions whose roles they are.
    const trusting = new Map<string, Array<{ stack: StackPlan; role: RolePlan }>>();
    for (const stack of plan.stacks)
      for (const role of stack.roles)
        for (const arn of new Set(awsPrincipals(role)))
          if (ROLE_ARN.test(arn)) trusting.set(arn, [...(trusting.get(arn) ?? []), { stack, role }]);
    return Object.entries(model.org.functions).flatMap(([fn, def]) =>
      (def.principals ?? []).flatMap((arn, i) => {
        const trusts = (trusting.get(arn) ?? []).filter((t) => t.role.functions.includes(fn));
        if (trusts.length === 0) return [];
        const byRole = new Map<string, string[]>();
        for (const t of trusts) byRole.set(t.role.name, [...(byRole.get(t.role.name) ?? []), t.stack.id]);
        return [noticeAt(model, ['functions', fn, 'principals', i], rolePrincipalNotice(arn, byRole))];
      }),
    );
  },
};
