/**
 * An org of 300 member accounts must compile and plan: each function group's
 * assume-role permission outgrows one policy there (SPEC: quotas), so the
 * master stack carries split customer managed policies. Terraform plans the
 * master stack and one member stack of an org whose one function is granted
 * in all 300 accounts. Skipped loudly without terraform.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { synthesizeApp } from '../../src/stacks/app';
import { bigOrg } from '../helpers/big-org';
import { describeFailure, planStacks, terraformOrSkip, writeCliConfig } from '../helpers/terraform';

const available = terraformOrSkip('terraform scale test (test/e2e/scale.test.ts)');
const describeTerraform = available ? describe : describe.skip;

describeTerraform('a 300-account organisation', () => {
  let tmp: string;
  afterAll(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

  it('compiles, and its master stack (split group policies) and a member stack plan', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-scale-'));
    writeCliConfig(tmp);
    const result = compileOrgText(bigOrg(300), 'scale.yaml');
    if (!result.plan) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    const master = result.plan.stacks[0];
    const splitGroups = master.groups.filter((g) => g.policies.length > 1);
    expect(splitGroups.length).toBeGreaterThan(0);

    synthesizeApp(result.plan, path.join(tmp, 'cdktf.out'));
    const member = result.plan.stacks[1].id;
    const runs = await planStacks(['master', member].map((id) => path.join(tmp, 'cdktf.out', 'stacks', id)));
    for (const run of runs) {
      const id = run.stack;
      if (run.failure) throw new Error(describeFailure(run));
      const planned = (run.plan?.resource_changes ?? []).filter((r) => r.type === 'aws_iam_policy');
      if (id === 'master') {
        const policies = master.groups.reduce((n, g) => n + g.policies.length, 0);
        expect(planned).toHaveLength(policies);
      }
    }
  });
});
