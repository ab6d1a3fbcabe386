/**
 * Issue 16, finding 1 against real Terraform: people whose user names hold
 * characters construct ids drop or output names cannot hold (`bob.smith`,
 * `1bob`, `a+b=c,d@x`), with console and key, give an identity stack that
 * `terraform validate` accepts and plans one user per person. Before, the
 * outputs were named `bob.smith_access_key_id` and the stack failed validate.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { synthesizeApp } from '../../src/stacks/app';
import { expectValidAndCreateOnly, planStack, terraformOrSkip, writeCliConfig } from '../helpers/terraform';

const available = terraformOrSkip('terraform e2e tests (test/e2e/identifiers.test.ts)');
const describeTerraform = available ? describe : describe.skip;

const PEOPLE = ['bob.smith', 'bobsmith-2', '1bob', 'a+b=c,d@x'];

const ORG = `version: 1
organization: { name: acme, region: eu-west-1, master: master }
accounts:
  master: { id: "111111111111" }
  production: { id: "222222222222" }
permissions:
  read: { managed: [ReadOnlyAccess] }
functions:
  developers: { access: { production: read } }
people:
${PEOPLE.map((k, i) => `  "${k}": { name: P${i}, email: p${i}@acme.example, functions: [developers], console: true, accessKey: true, pgpKey: "keybase:p${i}x" }`).join('\n')}
`;

describeTerraform('finding 1: user names with dropped characters, through terraform validate and plan', () => {
  let tmp: string;
  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the identity stack validates and plans one user, login profile and key per person', async () => {
    const result = compileOrgText(ORG, 'org.yaml');
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-e2e-ids-'));
    writeCliConfig(tmp);
    synthesizeApp(result.plan, path.join(tmp, 'cdktf.out'));
    const run = await planStack(path.join(tmp, 'cdktf.out', 'stacks', 'master'));
    expectValidAndCreateOnly([run]);
    const changes = run.plan!.resource_changes ?? [];
    const names = (type: string) => changes.filter((c) => c.type === type).map((c) => c.change.after.name ?? c.change.after.user);
    expect(names('aws_iam_user').sort()).toEqual([...PEOPLE].sort());
    expect(names('aws_iam_user_login_profile').sort()).toEqual([...PEOPLE].sort());
    expect(names('aws_iam_access_key').sort()).toEqual([...PEOPLE].sort());
    expect(Object.keys(run.plan!.output_changes ?? {})).toHaveLength(PEOPLE.length * 5);
  });
});
