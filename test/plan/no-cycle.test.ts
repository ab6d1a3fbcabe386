/**
 * src/plan has no import cycle (issue 16): names and types import no
 * builder, the builders import one another one way. Type-only imports
 * count too: a cycle of types is still a knot a reader must untie.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

const PLAN = path.join(__dirname, '..', '..', 'src', 'plan');

/** Each module of src/plan -> the modules of src/plan it imports or re-exports from. */
function planImports(): Map<string, string[]> {
  const files = readdirSync(PLAN).filter((f) => f.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(PLAN, file), 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'\.\/([^']+)'/gms)].map((m) => `${m[1]}.ts`);
    graph.set(
      file,
      [...new Set(targets)].filter((t) => files.includes(t)),
    );
  }
  return graph;
}

/** Every cycle found by a depth-first walk, as `a.ts -> b.ts -> a.ts`. */
function cycles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (state.get(node) === undefined) visit(node);
  return found;
}

describe('src/plan imports', () => {
  test('no cycle', () => {
    expect(cycles(planImports())).toEqual([]);
  });

  test('the check sees imports (so "no cycle" is not vacuous): types.ts and names.ts are imported, types.ts imports nothing of src/plan', () => {
    const graph = planImports();
    expect(graph.get('types.ts')).toEqual([]);
    expect(graph.get('deploy.ts')).toEqual(expect.arrayContaining(['names.ts', 'types.ts', 'deploy-policies.ts']));
    // And it would see one: a made-up back edge is reported.
    graph.set('types.ts', ['deploy.ts']);
    expect(cycles(graph)).toContain('types.ts -> deploy.ts -> types.ts');
  });
});
