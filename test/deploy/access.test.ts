/**
 * The access model counts the deploy credentials (issue 10 wired into issue
 * 8's pipelineCredentials): with tfc-dynamic a pipeline's changers hold each
 * workspace's apply role, master's included, and the matrix's evidence names
 * that role; the apply credentials listed by the deploy plan agree.
 */
import { applyCredentials } from '../../src/plan/deploy';
import { pipelineCredentials } from '../../src/plan/pipelines';
import { compileOrgText } from '../../src/plan/compile';
import { planContext } from '../../src/access/from-plan';
import { compiled, deployVariant } from '../fixtures/deploy';

function modelOf(text: string) {
  const result = compileOrgText(text, 'org.yaml');
  if (!result.model || !result.plan) throw new Error('does not compile');
  return { model: result.model, plan: result.plan };
}

/** What the pipeline applies with, read from the plan (its deploy's apply credentials). */
function credentialsOf(compiled: ReturnType<typeof modelOf>, pipeline: string) {
  return pipelineCredentials(compiled.plan, planContext(compiled.model)).get(pipeline)!;
}

describe('pipeline credentials per deploy.credentials', () => {
  test("tfc-dynamic: every account the pipeline applies, master included, through its workspace's apply role", () => {
    expect(
      credentialsOf(modelOf(deployVariant('cloud', 'tfc-dynamic')), 'terraform-cloud').map((c) => [c.account, c.kind, c.roleArn, c.level]),
    ).toEqual([
      ['development', 'apply-role', 'arn:aws:iam::444444444444:role/rolecall-deploy/rolecall-account-development-apply', 'admin'],
      ['master', 'apply-role', 'arn:aws:iam::111111111111:role/rolecall-deploy/rolecall-master-apply', 'admin'],
      ['production', 'apply-role', 'arn:aws:iam::222222222222:role/rolecall-deploy/rolecall-account-production-apply', 'admin'],
      ['sandbox', 'apply-role', 'arn:aws:iam::555555555555:role/rolecall-deploy/rolecall-account-sandbox-apply', 'admin'],
      ['storage', 'apply-role', 'arn:aws:iam::333333333333:role/rolecall-deploy/rolecall-account-storage-apply', 'admin'],
    ]);
  });

  test('assume-role is unchanged: ambient in master, the deploy role in members', () => {
    const creds = credentialsOf(modelOf(deployVariant('local', 'assume-role')), 'terraform-cloud');
    expect(creds.find((c) => c.account === 'master')!.kind).toBe('ambient');
    expect(creds.find((c) => c.account === 'production')!.roleArn).toBe('arn:aws:iam::222222222222:role/OrganizationAccountAccessRole');
  });

  test('the apply roles the pipeline holds are exactly the ones the deploy plan creates and the workspaces use', () => {
    const both = modelOf(deployVariant('cloud', 'tfc-dynamic'));
    const held = credentialsOf(both, 'terraform-cloud')
      .map((c) => c.roleArn)
      .sort();
    const applied = applyCredentials(both.plan)
      .map((c) => c.roleArn)
      .sort();
    expect(held).toEqual(applied);
    const created = compiled(deployVariant('cloud', 'tfc-dynamic')).bootstrapStack!.accounts.flatMap((a) =>
      a.roles.filter((r) => r.phase === 'apply').map((r) => r.arn),
    );
    for (const arn of held) expect(created).toContain(arn);
  });
});
