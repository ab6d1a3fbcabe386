/**
 * pass-role: iam:PassRole on a role of the same account that a compute
 * service trusts, with an action that starts that service's compute, gives
 * the caller the role (code it runs there holds the role's credentials).
 * rolecall's own roles trust no service; estates read from AWS may.
 */
import { evaluate, type Request } from '../evaluate';
import type { EdgeKindModule, GraphEdge } from '../graph-types';

/** Service principal -> actions that run code as a passed role. */
const COMPUTE: Record<string, string[]> = {
  'lambda.amazonaws.com': ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'],
  'ec2.amazonaws.com': ['ec2:RunInstances', 'ec2:AssociateIamInstanceProfile', 'ec2:ReplaceIamInstanceProfileAssociation'],
  'ecs-tasks.amazonaws.com': ['ecs:RunTask', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'],
  'glue.amazonaws.com': ['glue:CreateJob', 'glue:CreateDevEndpoint', 'glue:UpdateJob'],
  'cloudformation.amazonaws.com': ['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:CreateChangeSet'],
  'codebuild.amazonaws.com': ['codebuild:CreateProject', 'codebuild:UpdateProject', 'codebuild:StartBuild'],
  'states.amazonaws.com': ['states:CreateStateMachine', 'states:UpdateStateMachine'],
  'sagemaker.amazonaws.com': ['sagemaker:CreateNotebookInstance', 'sagemaker:CreateTrainingJob', 'sagemaker:CreateProcessingJob'],
  'batch.amazonaws.com': ['batch:SubmitJob', 'batch:RegisterJobDefinition'],
  'datapipeline.amazonaws.com': ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
};

function list<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export const passRole: EdgeKindModule = {
  kind: 'pass-role',
  edges(node, mfa, ctx) {
    if (node.kind !== 'user' && node.kind !== 'role') return [];
    if (!ctx.mayAllow(node, 'iam:PassRole')) return [];
    const out: GraphEdge[] = [];
    for (const role of ctx.serviceRoles(node.account)) {
      if (role.arn === node.arn) continue;
      const services = role.trust.Statement.flatMap((s) =>
        s.Effect === 'Allow' && s.Principal !== undefined && s.Principal !== '*' ? list(s.Principal.Service) : [],
      );
      const runs = services.flatMap((s) => COMPUTE[s] ?? []).filter((a) => ctx.mayAllow(node, a));
      if (runs.length === 0) continue;
      const req: Request = { caller: ctx.callerOf(node, mfa), action: 'iam:PassRole', resource: role.arn };
      const d = evaluate(node.documents ?? [], req);
      if (!d.allowed) continue;
      out.push({
        to: `role:${role.arn}`,
        kind: 'pass-role',
        action: `iam:PassRole + ${runs[0]}`,
        resource: role.arn,
        ...(d.undecided ? { undecided: true } : {}),
      });
    }
    return out;
  },
};
