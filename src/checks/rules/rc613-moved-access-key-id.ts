import { errorAt } from '../../model/diagnostics';
import type { Message } from '../../model/messages';
import type { Rule } from '../rule';

export function movedKeyWithoutId(person: string, from: string, to: string): Message {
  return {
    code: 'RC613',
    message: `${person} moves from stack ${from} to stack ${to} (organization.peopleShards) and has an access key, which Terraform can import only by its id: without it, ${to} would create a second key`,
    expected: 'people.<person>.accessKeyId: the id of the existing key (AKIA..., never the secret)',
    fix: `add accessKeyId to people.${person}: read it in the ${from} workspace with \`terraform state show\` on ${person}'s aws_iam_access_key (the "id" attribute), or \`aws iam list-access-keys --user-name ${person}\``,
  };
}

/**
 * A person moving between people stacks (organization.peopleShards with
 * previousCount) is forgotten by the old stack and imported by the new one.
 * Terraform imports an access key only by its id: without
 * people.<key>.accessKeyId the new stack would create a second key, and the
 * old one would live on, forgotten.
 */
export const rule: Rule<'plan'> = {
  id: 'moved-access-key-id',
  code: 'RC613',
  title: 'A person with an access key moves between stacks only with the key id to import',
  needs: ['plan'],
  check: ({ model, plan }) =>
    plan.stacks.flatMap((stack) =>
      stack.users.flatMap((user) =>
        user.movedFrom !== undefined && user.accessKey !== undefined && user.accessKeyId === undefined
          ? [errorAt(model, ['people', user.key, 'accessKey'], movedKeyWithoutId(user.key, user.movedFrom, stack.id))]
          : [],
      ),
    ),
};
