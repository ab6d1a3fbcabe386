/**
 * Issue 16, finding 1: people whose keys differ only in characters that
 * construct ids drop (`bobsmith` and `bob.smith`; also @ + = ,) became ONE
 * IAM user, and their output names were not Terraform identifiers. Every
 * identifier rolecall derives must be unique after every normalisation, or
 * the file is refused, located, with a fix that is itself valid (RC229).
 *
 * The property half: a file that passes validate never renders two resources
 * at one Terraform address or two outputs with one name, read from the
 * construct tree (the synthesized JSON cannot show it: a duplicate key there
 * has already overwritten the first).
 */
import { TerraformElement, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import * as os from 'os';
import * as path from 'path';
import { formatDiagnostic, type Diagnostic } from '../../src/model/diagnostics';
import { findManagedPolicy, managedPolicyNames } from '../../src/iam/managed-policies';
import { managedPolicyKey, personOutputName } from '../../src/plan/names';
import { compileOrgText } from '../../src/plan/compile';
import type { OrgPlan } from '../../src/plan/types';
import { buildApp } from '../../src/stacks/app';
import { managedPolicyId } from '../../src/constructs/iam-role';
import { random } from '../helpers/template';

interface Person {
  functions: string[];
  console?: boolean;
  accessKey?: boolean;
}

function orgText(people: Record<string, Person>, extra = ''): string {
  const lines = Object.entries(people).flatMap(([key, p], i) => [
    `  ${JSON.stringify(key)}:`,
    `    name: Person ${i}`,
    `    email: p${i}@acme.example`,
    `    functions: [${p.functions.join(', ')}]`,
    ...(p.console ? ['    console: true'] : []),
    ...(p.accessKey ? ['    accessKey: true'] : []),
    ...(p.console || p.accessKey ? [`    pgpKey: keybase:person${i}`] : []),
  ]);
  return `version: 1
organization:
  name: acme
  region: eu-west-1
  master: master
accounts:
  master:
    id: "111111111111"
  production:
    id: "222222222222"
permissions:
  admin:
    managed: [AdministratorAccess]
  read:
    managed: [ReadOnlyAccess]
functions:
  operations:
    access: { production: admin }
  developers:
    access: { production: read }
${extra}people:
${lines.join('\n')}
`;
}

const errorsOf = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error');

/** Every Terraform address and output name of every stack, with how often each is rendered. */
function renderedIds(plan: OrgPlan): { addresses: string[]; outputs: string[] } {
  const app = buildApp(plan, path.join(os.tmpdir(), 'rolecall-identifiers-unused'));
  const addresses: string[] = [];
  const outputs: string[] = [];
  for (const stack of app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack)) {
    for (const el of stack.node.findAll().filter((c): c is TerraformElement => c instanceof TerraformElement)) {
      if (el instanceof TerraformResource) addresses.push(`${stack.node.id}/${el.terraformResourceType}.${el.friendlyUniqueId}`);
      else if (el instanceof TerraformOutput) outputs.push(`${stack.node.id}/${el.friendlyUniqueId}`);
    }
  }
  return { addresses, outputs };
}

const duplicates = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
/** HCL identifiers: a letter or "_", then letters, digits, "_" and "-". */
const TERRAFORM_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

describe('finding 1: the repro (bobsmith and bob.smith in different functions, with console and key)', () => {
  const repro = {
    bobsmith: { functions: ['developers'], console: true, accessKey: true },
    'bob.smith': { functions: ['operations'], console: true, accessKey: true },
  };

  it('validate fails, located at both keys, with the stable code and a fix', () => {
    const result = compileOrgText(orgText(repro), 'org.yaml');
    expect(result.ok).toBe(false);
    const found = errorsOf(result.diagnostics);
    expect(found.map((d) => d.code)).toEqual(['RC229', 'RC229']);
    expect(found.map((d) => d.path)).toEqual([
      ['people', 'bobsmith'],
      ['people', 'bob.smith'],
    ]);
    const text = found.map(formatDiagnostic);
    expect(text[0]).toMatch(
      /^org\.yaml:\d+:3: error RC229: people\.bobsmith: person "bobsmith" and person "bob\.smith" map to the same identifier "user-bobsmith"/,
    );
    expect(text[1]).toMatch(/^org\.yaml:\d+:3: error RC229: people\["bob\.smith"\]: /);
    expect(found[0].line).toBeLessThan(found[1].line);
    expect(found[0].fix).toBe(
      'rename person "bob.smith" to "bob-smith" (everywhere the file names them), or remove the duplicate if person "bobsmith" is the same person',
    );
  });

  it('the fix is itself valid: renamed as it says, the file compiles and bob-smith is a user of its own', () => {
    const fixed = compileOrgText(orgText({ bobsmith: repro.bobsmith, 'bob-smith': repro['bob.smith'] }), 'org.yaml');
    expect(errorsOf(fixed.diagnostics).map(formatDiagnostic)).toEqual([]);
    const users = fixed.plan!.stacks.flatMap((s) => s.users.map((u) => u.name)).sort();
    expect(users).toEqual(['bob-smith', 'bobsmith']);
    const { addresses, outputs } = renderedIds(fixed.plan!);
    expect(duplicates(addresses)).toEqual([]);
    expect(addresses.filter((a) => a.includes('/aws_iam_user.'))).toEqual([
      'master/aws_iam_user.user-bob-smith',
      'master/aws_iam_user.user-bobsmith',
    ]);
    expect(outputs).toHaveLength(10);
  });

  it('bob.smith alone compiles, and its outputs are Terraform identifiers (they were `bob.smith_...`)', () => {
    const result = compileOrgText(orgText({ 'bob.smith': repro['bob.smith'] }), 'org.yaml');
    expect(errorsOf(result.diagnostics)).toEqual([]);
    const { outputs } = renderedIds(result.plan!);
    expect(outputs.sort()).toEqual(
      ['access_key_id', 'password_encrypted', 'password_key_fingerprint', 'secret_encrypted', 'secret_key_fingerprint'].map(
        (s) => `master/bob_smith_${s}`,
      ),
    );
  });
});

describe('finding 1: every character a derived identifier drops or maps', () => {
  it.each([
    ['bob@smith', 'bobsmith'],
    ['bob+smith', 'bobsmith'],
    ['bob=smith', 'bobsmith'],
    ['bob,smith', 'bobsmith'],
    ['b.o.b', 'bob'],
  ])('%s and %s: one aws_iam_user address, refused', (a, b) => {
    const result = compileOrgText(orgText({ [a]: { functions: ['operations'] }, [b]: { functions: ['developers'] } }), 'org.yaml');
    const found = errorsOf(result.diagnostics);
    expect(found.map((d) => [d.code, d.path[1]]).sort()).toEqual(
      [
        ['RC229', a],
        ['RC229', b],
      ].sort(),
    );
  });

  it('bob.smith and bob_smith: distinct addresses, one output name once either has a key; refused only then', () => {
    const plain = compileOrgText(
      orgText({ 'bob.smith': { functions: ['operations'] }, bob_smith: { functions: ['developers'] } }),
      'org.yaml',
    );
    expect(errorsOf(plain.diagnostics)).toEqual([]);
    const keyed = compileOrgText(
      orgText({ 'bob.smith': { functions: ['operations'], accessKey: true }, bob_smith: { functions: ['developers'], accessKey: true } }),
      'org.yaml',
    );
    const found = errorsOf(keyed.diagnostics);
    expect(found.map((d) => d.code)).toEqual(['RC229', 'RC229']);
    expect(found[0].message).toContain('"bob_smith_access_key_id" (Terraform output name (identity account))');
    expect(found[0].fix).toMatch(/^rename person "bob\.smith" to "bob-smith"/);
  });

  it('the suggested name is free of every other person, too', () => {
    const result = compileOrgText(
      orgText({
        bobsmith: { functions: ['operations'] },
        'bob.smith': { functions: ['developers'] },
        'bob-smith': { functions: ['developers'] },
      }),
      'org.yaml',
    );
    expect(errorsOf(result.diagnostics)[0].fix).toMatch(/^rename person "bob\.smith" to "bob-smith-2"/);
  });

  it('two functions whose group policies get one IAM name (a-identity-x-assume-roles-1), refused at both', () => {
    const extra = `  a-identity-x:
    access: { production: read }
  a:
    access: { production: read }
    identityPermissions: x-assume-roles-1
`;
    const text = orgText({ alice: { functions: ['a', 'a-identity-x'] } }).replace('people:\n', `${extra}people:\n`);
    const withSet = text.replace(
      'permissions:\n',
      'permissions:\n  x-assume-roles-1:\n    statements:\n      - actions: ["iam:GetUser"]\n        resources: ["*"]\n',
    );
    const found = errorsOf(compileOrgText(withSet, 'org.yaml').diagnostics);
    expect(found.map((d) => [d.code, d.path.join('.')])).toEqual([
      ['RC229', 'functions.a-identity-x'],
      ['RC229', 'functions.a'],
    ]);
    expect(found[0].message).toContain('"a-identity-x-assume-roles-1" (IAM policy name in account master)');
  });
});

describe('finding 1: time-bound memberships name a policy after the person and the function', () => {
  it('"a-b" in b-c and "a-b-b" in c, both time-bound: one IAM policy name (a-b-b-c-until-1), refused at both', () => {
    const extra = `  c:
    access: { production: read }
  b-c:
    access: { production: read }
`;
    const clash = `  a-b:
    name: P1
    email: p1@acme.example
    functions: [{ name: b-c, until: "2030-01-01T00:00:00Z" }]
  a-b-b:
    name: P2
    email: p2@acme.example
    functions: [{ name: c, until: "2030-01-01T00:00:00Z" }]
`;
    const text = orgText({}).replace('people:\n', `${extra}people:\n${clash}`);
    const found = errorsOf(compileOrgText(text, 'org.yaml').diagnostics);
    expect(found.map((d) => [d.code, d.path.join('.')])).toEqual([
      ['RC229', 'people.a-b'],
      ['RC229', 'people.a-b-b'],
    ]);
    expect(found[0].message).toContain('"a-b-b-c-until-1" (IAM policy name in account master)');
  });
});

describe('finding 1, the property: a file that passes validate renders no address or output twice', () => {
  // Keys from the characters that matter, short so that they meet often.
  const ALPHABET = ['b', 'o', '.', '@', '+', '=', ',', '_', '-', '1'];
  const rand = random(1616);
  const key = () => {
    const length = 1 + Math.floor(rand() * 4);
    let out = 'b';
    for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(rand() * ALPHABET.length)];
    return out;
  };

  it('over 40 seeded files of colliding keys: refused with RC229, or unique addresses and valid output names', () => {
    let refused = 0;
    let passed = 0;
    for (let file = 0; file < 40; file++) {
      const people: Record<string, Person> = {};
      for (let i = 0; i < 6; i++) {
        people[key()] = { functions: [rand() < 0.5 ? 'operations' : 'developers'], console: rand() < 0.5, accessKey: rand() < 0.5 };
      }
      const result = compileOrgText(orgText(people), 'org.yaml');
      const codes = errorsOf(result.diagnostics).map((d) => d.code);
      if (!result.ok) {
        // Case-only twins are RC123's; everything else here is this finding's.
        expect(codes.every((c) => c === 'RC229' || c === 'RC123')).toBe(true);
        refused++;
        continue;
      }
      passed++;
      const { addresses, outputs } = renderedIds(result.plan);
      expect(duplicates(addresses)).toEqual([]);
      expect(duplicates(outputs)).toEqual([]);
      for (const o of outputs) expect(o.split('/')[1]).toMatch(TERRAFORM_IDENTIFIER);
      // One IAM user per person.
      expect(result.plan.stacks.flatMap((s) => s.users).length).toBe(Object.keys(people).length);
      expect(addresses.filter((a) => a.includes('/aws_iam_user.')).length).toBe(Object.keys(people).length);
    }
    // Both halves of the property are exercised.
    expect(refused).toBeGreaterThan(5);
    expect(passed).toBeGreaterThan(5);
  });

  it('output names are Terraform identifiers for every user name IAM allows', () => {
    for (const k of ['alice', 'bob.smith', '1bob', '-bob', '@bob', 'a+b=c,d', '_x']) {
      expect(personOutputName(k, 'access_key_id')).toMatch(TERRAFORM_IDENTIFIER);
    }
    expect(personOutputName('alice', 'access_key_id')).toBe('alice_access_key_id');
  });

  it('AWS managed policy attachment ids are distinct over the whole catalog (groups and roles)', () => {
    const arns = managedPolicyNames().map((name) => findManagedPolicy(name)!.arn);
    expect(arns.length).toBeGreaterThan(1000);
    expect(duplicates(arns.map(managedPolicyKey))).toEqual([]);
    expect(duplicates(arns.map(managedPolicyId))).toEqual([]);
  });
});
