/**
 * Issue 16, finding 8: rolecall's users move to the IAM path /rolecall/
 * (names.ts ROLECALL_USER_PATH), which the function roles' trust demands.
 * For people who exist already, AWS provider 5.100 must change the path in
 * place (UpdateUser): a replacement would delete the user with their
 * password, MFA device and access keys. Planned offline against a state
 * holding the user at "/", as an earlier release created it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { compileOrgText } from '../../src/plan/compile';
import { synthesizeApp } from '../../src/stacks/app';
import { describeFailure, planStack, terraformOrSkip, writeCliConfig } from '../helpers/terraform';

const run = terraformOrSkip('user path e2e test (test/e2e/user-path.test.ts)') ? describe : describe.skip;

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
  alice: { name: Alice, email: alice@acme.example, functions: [developers] }
`;

run('finding 8: an existing user moves to /rolecall/ in place', () => {
  let tmp: string;
  afterAll(() => {
    if (tmp && !process.env.ROLECALL_KEEP_E2E) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('aws_iam_user.user-alice: update in place, path "/" -> "/rolecall/", not a replacement', async () => {
    const result = compileOrgText(ORG, 'org.yaml');
    if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rolecall-e2e-path-'));
    writeCliConfig(tmp);
    synthesizeApp(result.plan, path.join(tmp, 'cdktf.out'));
    const dir = path.join(tmp, 'cdktf.out', 'stacks', 'master');
    const file = path.join(dir, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.terraform.backend.local.path = 'terraform.tfstate';
    fs.writeFileSync(file, JSON.stringify(json));
    const attributes = {
      id: 'alice',
      name: 'alice',
      path: '/',
      force_destroy: true,
      arn: 'arn:aws:iam::111111111111:user/alice',
      unique_id: 'AIDAALICE',
      tags: json.resource.aws_iam_user['user-alice'].tags,
      tags_all: json.resource.aws_iam_user['user-alice'].tags,
    };
    const state = {
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: '00000000-0000-0000-0000-000000000016',
      outputs: {},
      resources: [
        {
          mode: 'managed',
          type: 'aws_iam_user',
          name: 'user-alice',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{ schema_version: 0, attributes }],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(state));
    const planned = await planStack(dir);
    if (!planned.plan) throw new Error(describeFailure(planned));
    const user = (planned.plan.resource_changes ?? []).find((c) => c.address === 'aws_iam_user.user-alice')!;
    expect(user.change.actions).toEqual(['update']);
    expect(user.change.after.path).toBe('/rolecall/');
  }, 240000);
});
