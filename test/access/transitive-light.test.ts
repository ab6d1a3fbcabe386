/**
 * The transitive groups a report records per person and function come from a
 * light closure (only the identity and management accounts' paths, and none
 * at all for a holder without a path there) unless a cell was asked for
 * first. Both must give the same groups: the report, explain and diff read
 * the light one, guardrails and cells the complete one.
 */
import * as path from 'path';
import { loadOrgFile } from '../../src/model/load';
import { formatDiagnostic } from '../../src/model/diagnostics';
import { buildAccessMatrix } from '../../src/plan/access';
import type { Model } from '../../src/model/model';

const ROOT = path.join(__dirname, '..', '..');

function modelOf(loaded: ReturnType<typeof loadOrgFile>): Model {
  if (!loaded.model) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.model;
}

/** Every person's and function's groups, light first (a fresh matrix) and complete (a cell asked for first). */
function bothWays(model: Model) {
  const light = buildAccessMatrix(model);
  const complete = buildAccessMatrix(model);
  const account = complete.accounts[0].name;
  const out = { light: {} as Record<string, unknown>, complete: {} as Record<string, unknown> };
  for (const p of light.people) out.light[p.name] = light.transitive(p.name);
  for (const f of light.functions) out.light[`fn ${f.name}`] = light.functionTransitive(f.name);
  for (const p of complete.people) {
    complete.cell(p.name, account);
    out.complete[p.name] = complete.transitive(p.name);
  }
  for (const f of complete.functions) {
    complete.functionCell(f.name, account);
    out.complete[`fn ${f.name}`] = complete.functionTransitive(f.name);
  }
  return out;
}

describe('transitive groups: the light closure agrees with the complete one', () => {
  const files = [
    'config/org.yaml',
    'config/org-large-company.yaml',
    'config/org-managed.yaml',
    'test/fixtures/access/transitive.yaml',
    'test/fixtures/access/levels.yaml',
    'test/fixtures/access/holds.yaml',
  ];
  test.each(files)('%s', (file) => {
    const { light, complete } = bothWays(modelOf(loadOrgFile(path.join(ROOT, file))));
    expect(light).toEqual(complete);
  });

  test('the example has joins and management paths (so the comparison above is not vacuous)', () => {
    const { light } = bothWays(modelOf(loadOrgFile(path.join(ROOT, 'config', 'org.yaml'))));
    const kinds = Object.values(light).flatMap((groups) => (groups as Array<{ kind: string }>).map((g) => g.kind));
    expect(kinds).toContain('join');
    expect(kinds).toContain('management');
  });

  test('a function granted only on member accounts is still a join target (one of its roles stands for all)', () => {
    // alice administers the identity (= master) account in the example: she can join every other function;
    // network is granted on production, development and sandbox only, never on a trigger account.
    const { light } = bothWays(modelOf(loadOrgFile(path.join(ROOT, 'config', 'org.yaml'))));
    const joins = (light.alice as Array<{ kind: string; functions?: string[] }>).find((g) => g.kind === 'join');
    expect(joins?.functions).toEqual(['auditors', 'developers', 'network']);
  });
});
