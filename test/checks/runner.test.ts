/**
 * The runner (src/checks/index.ts) feeds each rule what it declares in
 * `needs`: each input derived at most once per run, and a rule whose input
 * cannot be derived over a salvaged model is skipped, not crashing the run
 * and not silencing the rules that need less.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES, runChecks } from '../../src/checks';
import type { Rule } from '../../src/checks/rule';
import { errorAt } from '../../src/model/diagnostics';
import { loadOrgText } from '../../src/model/load';
import type { Model } from '../../src/model/model';
import { buildAccessMatrix } from '../../src/plan/access';
import { buildPlan } from '../../src/plan/build';
import { compileOrgText } from '../../src/plan/compile';

const BREACH = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'access', 'breach-direct.yaml'), 'utf8');

/** breach-direct.yaml, managed, with a bad OU path: RC310 (model only), RC501 (matrix), and a valid plan. */
function model(): Model {
  const text = BREACH.replace('  master: master\n', '  master: master\n  manage: true\n  id: o-abc123defg\n  rootId: r-ab12\n')
    .replace('    id: "222222222222"\n', '    id: "222222222222"\n    email: aws+production@example.com\n')
    .replace('    id: "555555555555"\n', '    id: "555555555555"\n    email: aws+sandbox@example.com\n    ou: "Sandbox/"\n');
  const loaded = loadOrgText(text, 'org.yaml');
  if (!loaded.model) throw new Error('fixture does not load');
  return loaded.model;
}

const codes = (run: ReturnType<typeof runChecks>) => run.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`);
const fail = () => {
  throw new Error('cannot be derived');
};

/** A probe rule reporting one error at the top level, so a test sees whether it ran. */
function probe(id: string, needs: Rule['needs']): Rule {
  return { id, code: 'RC999', title: id, needs, check: ({ model }) => [errorAt(model, [], { code: 'RC999', message: id })] };
}

describe('the runner derives what rules need', () => {
  it('reports model-only, plan and matrix rules when everything can be derived', () => {
    const run = runChecks(model());
    expect(codes(run)).toEqual(['RC310 accounts.sandbox.ou', 'RC501 guardrails.0']);
    expect(run.inputs.plan).toBeDefined();
    expect(run.inputs.matrix).toBeDefined();
    expect(run.skipped).toEqual([]);
  });

  it('derives each input at most once, and only when a rule needs it', () => {
    const m = model();
    const calls = { plan: 0, matrix: 0 };
    const derive = {
      plan: (x: Model) => (calls.plan++, buildPlan(x)),
      matrix: (x: Model) => (calls.matrix++, buildAccessMatrix(x)),
    };
    runChecks(m, { derive });
    expect(RULES.filter((r) => r.needs.includes('plan')).length).toBeGreaterThan(1);
    expect(calls).toEqual({ plan: 1, matrix: 1 });

    const modelOnly = RULES.filter((r) => r.needs.length === 0);
    const run = runChecks(m, { derive, rules: modelOnly });
    expect(calls).toEqual({ plan: 1, matrix: 1 }); // nothing derived for model-only rules
    expect(run.inputs).toEqual({});
    expect(codes(run)).toEqual(['RC310 accounts.sandbox.ou']);
  });

  it('takes given inputs instead of deriving them', () => {
    const m = model();
    const plan = buildPlan(m);
    const run = runChecks(m, { given: { plan }, derive: { plan: fail } });
    expect(run.inputs.plan).toBe(plan);
    expect(run.skipped).toEqual([]);
  });

  it('salvaged, no matrix: the guardrail rule is skipped, model-only and plan rules still report', () => {
    const run = runChecks(model(), { salvaged: true, derive: { matrix: fail } });
    expect(codes(run)).toEqual(['RC310 accounts.sandbox.ou']);
    expect(run.skipped).toEqual([{ rule: 'guardrail-max-access', reason: 'the matrix could not be derived (cannot be derived)' }]);
    expect(run.inputs.plan).toBeDefined();
    expect(run.inputs.matrix).toBeUndefined();
  });

  it('salvaged, no plan: every plan rule is skipped, the model-only and matrix rules still report', () => {
    const run = runChecks(model(), { salvaged: true, derive: { plan: fail } });
    expect(codes(run)).toEqual(['RC310 accounts.sandbox.ou', 'RC501 guardrails.0']);
    expect(run.skipped.map((s) => s.rule).sort()).toEqual(
      RULES.filter((r) => r.needs.includes('plan'))
        .map((r) => r.id)
        .sort(),
    );
  });

  it('salvaged: a rule that fails costs only its own results', () => {
    const broken: Rule = { ...probe('broken', []), check: fail };
    const run = runChecks(model(), { salvaged: true, rules: [broken, probe('fine', ['plan'])] });
    expect(run.diagnostics.map((d) => d.message)).toEqual(['fine']);
    expect(run.skipped).toEqual([{ rule: 'broken', reason: 'failed over the salvaged model (cannot be derived)' }]);
  });

  it('a rule needing two inputs runs only when both exist', () => {
    const both = probe('both', ['plan', 'matrix']);
    expect(runChecks(model(), { rules: [both] }).diagnostics).toHaveLength(1);
    expect(runChecks(model(), { salvaged: true, rules: [both], derive: { matrix: fail } }).diagnostics).toEqual([]);
  });

  it('not salvaged: a failure is a bug, thrown rather than hidden', () => {
    expect(() => runChecks(model(), { derive: { plan: fail } })).toThrow('cannot be derived');
    expect(() => runChecks(model(), { rules: [{ ...probe('broken', []), check: fail }] })).toThrow('cannot be derived');
  });

  it('salvaged: notices are dropped, errors kept', () => {
    const notice: Rule = {
      ...probe('notice', []),
      check: ({ model }) => [{ ...errorAt(model, [], { code: 'RC999', message: 'n' }), severity: 'notice' }],
    };
    expect(runChecks(model(), { rules: [notice] }).diagnostics).toHaveLength(1);
    expect(runChecks(model(), { salvaged: true, rules: [notice] }).diagnostics).toEqual([]);
  });
});

describe('compile over a salvaged model whose plan cannot be built', () => {
  // test/fixtures/model/invalid/deploy.yaml: manage without ids, tfc-dynamic on s3, ...: the salvaged
  // model's plan throws. Before the runner used `needs`, that cost every plan-level error.
  const text = fs
    .readFileSync(path.join(__dirname, '..', 'fixtures', 'model', 'invalid', 'deploy.yaml'), 'utf8')
    .replace('    ou: Workloads\n', '    ou: "Workloads/"\n');

  it('the fixture: the plan really cannot be derived from the salvaged model', () => {
    const loaded = loadOrgText(text, 'org.yaml');
    expect(loaded.model).toBeUndefined();
    expect(() => buildPlan(loaded.salvaged!)).toThrow();
    expect(runChecks(loaded.salvaged!, { salvaged: true }).skipped.map((s) => s.rule)).toContain('scp-size');
  });

  it('still reports the model-only rules (a bad OU path) beside the loader errors, with no crash', () => {
    const result = compileOrgText(text, 'org.yaml');
    expect(result.ok).toBe(false);
    const found = result.diagnostics.map((d) => `${d.code} ${d.path.join('.')}`);
    expect(found).toContain('RC310 accounts.new-one.ou');
    expect(found).toContain('RC303 organization.manage');
  });
});
