/**
 * No import cycle in src/ (issue 16): names and types import no builder,
 * the builders import one another one way, and so does every other layer.
 * Every relative import counts: `import`, `export ... from`, type-only ones
 * (a cycle of types is still a knot a reader must untie) and lazy
 * `require('./x')` / `import('./x')` (a cycle that only lazy loading keeps
 * from breaking at load time is one edit from breaking).
 */
import { readdirSync, readFileSync, existsSync } from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', '..', 'src');

/** Cycles allowed: none (the access graph's types live in src/access/graph-types.ts, apart from the edge kinds that read them). */
const KNOWN_TYPE_CYCLES: string[][] = [];

interface Edge {
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** `./x` from `src/a/b.ts` -> `a/x.ts` or `a/x/index.ts` (relative to src/), as Node resolves it; undefined outside src/. */
function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(path.join(SRC, from)), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate)) return path.relative(SRC, candidate).split(path.sep).join('/');
  }
  return undefined;
}

/** Each module of src/ (path relative to src/) -> the modules of src/ it imports. */
function importGraph(): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const file of sourceFiles(SRC)) {
    const from = path.relative(SRC, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    const edges = new Map<string, boolean>();
    const add = (spec: string, typeOnly: boolean) => {
      const to = resolveImport(from, spec);
      if (to !== undefined) edges.set(to, (edges.get(to) ?? true) && typeOnly);
    };
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+'(\.[^']*)'/gms)) add(m[2], m[1] !== undefined);
    for (const m of text.matchAll(/^import\s+'(\.[^']*)'/gm)) add(m[1], false);
    for (const m of text.matchAll(/\b(?:require|import)\(\s*'(\.[^']*)'\s*\)/g)) add(m[1], false);
    graph.set(
      from,
      [...edges].map(([to, typeOnly]) => ({ to, typeOnly })),
    );
  }
  return graph;
}

/** The strongly connected components of more than one module (or a module importing itself), each sorted. */
function cycles(graph: Map<string, Edge[]>, valuesOnly = false): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const { to, typeOnly } of graph.get(v) ?? []) {
      if (valuesOnly && typeOnly) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v)!, index.get(to)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v && !(valuesOnly && e.typeOnly));
    if (component.length > 1 || selfLoop) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

const key = (component: string[]) => component.join(' ');

describe('src/ imports', () => {
  const graph = importGraph();

  test('no cycle of value imports anywhere in src/ (what Node loads)', () => {
    expect(cycles(graph, true)).toEqual([]);
  });

  test('no cycle at all, type-only imports included, but the known ones listed above', () => {
    const known = new Set(KNOWN_TYPE_CYCLES.map(key));
    expect(cycles(graph).filter((c) => !known.has(key(c)))).toEqual([]);
  });

  test('src/plan has no cycle at all (deploy, deploy-policies, organization, names, policies, shards, types)', () => {
    expect(cycles(graph).filter((c) => c.some((m) => m.startsWith('plan/')))).toEqual([]);
  });

  test('the check sees imports (so "no cycle" is not vacuous)', () => {
    const targets = (m: string) => (graph.get(m) ?? []).map((e) => e.to);
    expect(graph.size).toBeGreaterThan(100);
    expect(targets('plan/types.ts').filter((t) => t.startsWith('plan/'))).toEqual([]);
    expect(targets('plan/deploy.ts')).toEqual(expect.arrayContaining(['plan/names.ts', 'plan/types.ts', 'plan/deploy-policies.ts']));
    // A directory import resolves to its index, a lazy require counts.
    expect(targets('model/load.ts')).toContain('model/references.ts');
    expect(targets('access/graph.ts')).toContain('access/edges/index.ts');
    expect(targets('cli/main.ts')).toContain('cli/validate.ts');
    // And it would see one: a made-up back edge is reported, in values and in types.
    const broken = new Map(graph);
    broken.set('plan/types.ts', [...(graph.get('plan/types.ts') ?? []), { to: 'plan/deploy.ts', typeOnly: true }]);
    expect(cycles(broken)).toContainEqual(expect.arrayContaining(['plan/deploy.ts', 'plan/names.ts', 'plan/types.ts']));
    expect(cycles(broken, true).some((c) => c.includes('plan/types.ts'))).toBe(false);
    broken.set('plan/names.ts', [...(graph.get('plan/names.ts') ?? []), { to: 'plan/deploy.ts', typeOnly: false }]);
    expect(cycles(broken, true)).toContainEqual(expect.arrayContaining(['plan/deploy.ts', 'plan/names.ts']));
  });
});
