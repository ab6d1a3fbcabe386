/**
 * "Every error at once" across phases (issue 19.6): with mistakes of the
 * schema, of references and of the plan-level rules in one file, the first
 * run reports every one it can, the unknown names inside entries that have
 * schema errors included; a phase that truly cannot run is named, with
 * why, on the summary line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../helpers/cli';
import { compileOrgText } from '../../src/plan/compile';

const ROOT = path.join(__dirname, '..', '..');
const ORG = fs.readFileSync(path.join(ROOT, 'config', 'org.yaml'), 'utf8');

function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

/** The three schema mistakes; `withSchema(false)` has only the other three. */
function sixMistakes(withSchema = true): string {
  let text = ORG;
  // 1. schema: a misspelt key in an account
  if (withSchema)
    text = edit(text, '    tags: { cost-center: platform }\n', '    tags: { cost-center: platform }\n    enviroment: production\n');
  // 2. schema: a duration written out, in operations
  if (withSchema) text = edit(text, '    mfaMaxAge: 1h\n    sessionDuration: 1h\n', '    mfaMaxAge: 1 hour\n    sessionDuration: 1h\n');
  // 3. reference: an unknown account, in that same function
  text = edit(text, '      production: admin\n      storage: admin', '      prodution: admin\n      storage: admin');
  // 4. schema: yes for true, in carol
  if (withSchema) text = edit(text, '    console: true\n    pgpKey: keybase:carol', '    console: yes\n    pgpKey: keybase:carol');
  // 5. reference: an unknown function, in carol too
  text = edit(text, '    functions: [auditors]\n    console:', '    functions: [auditor]\n    console:');
  // 6. plan-level (guardrail RC501): developers administer storage, customer data
  text = edit(
    text,
    '      - accounts: { environment: non-production }\n        permissions: admin',
    '      - accounts: [development, sandbox, storage]\n        permissions: admin',
  );
  return text;
}

const codes = (text: string) =>
  compileOrgText(text, 'six.yaml')
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => [d.code, d.path.join('.')]);

describe('six mistakes across phases', () => {
  it('the first run reports the unknown names inside entries with schema errors beside those errors', () => {
    expect(codes(sixMistakes())).toEqual([
      ['RC101', 'accounts.production.enviroment'],
      ['RC106', 'functions.operations.mfaMaxAge'],
      ['RC201', 'functions.operations.access.prodution'],
      ['RC202', 'people.carol.functions.0'],
      ['RC103', 'people.carol.console'],
    ]);
  });

  it('the guardrail rule cannot run on a file whose shape is wrong: the summary line says so, and why', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-six-'));
    try {
      fs.writeFileSync(path.join(dir, 'six.yaml'), sixMistakes());
      const { code, err } = await runCli(['validate', '--config', path.join(dir, 'six.yaml')]);
      expect(code).toBe(1);
      const summary = err.trimEnd().split('\n').pop();
      expect(summary).toBe(
        "5 errors: nothing written. Not checked yet, until the file's shape is right (the RC101-RC114 errors above): " +
          'the plan-level checks (IAM quotas, OU paths and SCPs, guardrails, deploy names), the account selectors (an account has errors), ' +
          'the rest of accounts.production.',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with the schema right, one run reports the references and the guardrail breach together', () => {
    const found = codes(sixMistakes(false));
    expect(found.filter(([c]) => c !== 'RC501')).toEqual([
      ['RC201', 'functions.operations.access.prodution'],
      ['RC202', 'people.carol.functions.0'],
    ]);
    expect(found.filter(([c]) => c === 'RC501').length).toBeGreaterThan(0);
    expect(compileOrgText(sixMistakes(false), 'six.yaml')).not.toHaveProperty('notRun');
  });

  it('a repaired entry adds only unknown names: nothing its dropped keys would have decided', () => {
    // operations without its bad mfaMaxAge would default; nothing about durations is reported twice or anew.
    const found = codes(sixMistakes()).filter(([, p]) => p.startsWith('functions.operations'));
    expect(found).toEqual([
      ['RC106', 'functions.operations.mfaMaxAge'],
      ['RC201', 'functions.operations.access.prodution'],
    ]);
  });
});

describe('the summary line names the phase that did not run', () => {
  it('YAML that does not parse: nothing after it ran', () => {
    const result = compileOrgText(edit(ORG, '[s3]', '[s3'), 'org.yaml');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.notRun).toBe(
      "not checked yet, until the YAML parses: the file's shape, its references and the plan-level checks (IAM quotas, OU paths and SCPs, guardrails, deploy names)",
    );
  });

  it("an unknown master account: the plan-level checks, which hang off the organization's accounts", () => {
    const result = compileOrgText(edit(ORG, '  master: master\n', '  master: mastr\n'), 'org.yaml');
    expect(!result.ok && result.notRun).toMatch(
      /^not checked yet, until organization.master \(and identity\) name accounts in accounts: the plan-level checks /,
    );
  });

  it('a file whose only errors are references has no such line: everything ran', () => {
    const result = compileOrgText(
      edit(ORG, '    functions: [auditors]\n    console:', '    functions: [auditor]\n    console:'),
      'org.yaml',
    );
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('notRun');
  });
});
