/**
 * The org file as YAML: parsing, YAML-level errors, and positions. Every
 * later check reports a key path; `locate` turns it into line:col here, so
 * no other code needs to know about YAML nodes.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, KeyPath } from './diagnostics';
import { duplicateKey, multipleDocuments, yamlNotConvertible, yamlSyntax, type Message } from './messages';

export interface Position {
  line: number; // 1-based
  col: number; // 1-based
}

export interface ParsedSource {
  file: string;
  /** The file as plain data; undefined when it could not be read at all. */
  data: unknown;
  /** YAML errors (syntax, duplicate keys, several documents), located. */
  diagnostics: Diagnostic[];
  /** True when the YAML itself is broken, so checking its content would only add noise. */
  fatal: boolean;
  /** line:col of the key at `path` (the item, for a list index); the nearest existing parent when it is missing. */
  locate(path: KeyPath): Position;
  /** The source text of the scalar at `path` (e.g. `012345678901` before YAML made it a number). */
  scalarSource(path: KeyPath): string | undefined;
}

/** A resolved step of a key path: the value node, and where its key (or item) starts. */
interface Step {
  node: unknown;
  offset: number;
}

/** Follows aliases so `*anchor` values are walked like the anchored node. */
function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

/** Walks `path` as far as it exists; the last step is the deepest node found. */
function walk(doc: Document, path: KeyPath): Step[] {
  const steps: Step[] = [{ node: doc.contents, offset: startOf(doc.contents) ?? 0 }];
  for (const part of path) {
    const current = deref(doc, steps[steps.length - 1].node);
    let next: Step | undefined;
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (pair) next = { node: pair.value, offset: startOf(pair.key) ?? steps[steps.length - 1].offset };
    } else if (isSeq(current) && typeof part === 'number') {
      const item = current.items[part];
      const offset = startOf(item);
      if (item !== undefined && offset !== undefined) next = { node: item, offset };
    }
    if (!next) break;
    steps.push(next);
  }
  return steps;
}

/**
 * Every key that repeats an earlier key of the same map, in document order:
 * one pass with a set per map, so linear in the file. Keys compare as
 * strings, as they end up in the data (`1` and `"1"` collide there).
 * Aliases are not followed: the anchored node is checked where it stands.
 */
function duplicateKeys(doc: Document): Array<{ offset: number; firstOffset: number; path: KeyPath; key: string }> {
  const out: Array<{ offset: number; firstOffset: number; path: KeyPath; key: string }> = [];
  const stack: Array<{ node: unknown; path: Array<string | number> }> = [{ node: doc.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const children: Array<{ node: unknown; path: Array<string | number> }> = [];
    if (isMap(node)) {
      const first = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const offset = startOf(pair.key) ?? 0;
        const earlier = first.get(key);
        if (earlier === undefined) first.set(key, offset);
        else out.push({ offset, firstOffset: earlier, path: [...path, key], key });
        children.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => children.push({ node: item, path: [...path, index] }));
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Parses the org file's text. Never throws: every problem becomes a Diagnostic. */
export function parseSource(text: string, file: string): ParsedSource {
  const lineCounter = new LineCounter();
  // uniqueKeys: false: yaml's own check compares each key with every earlier
  // one (quadratic: 65 s for 80,000 people); duplicateKeys below is linear.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const diagnostic = (offset: number, path: KeyPath, message: Message): Diagnostic => ({
    severity: 'error',
    file,
    ...position(offset),
    path,
    ...message,
  });

  const diagnostics: Diagnostic[] = [];
  let fatal = false;
  for (const error of doc.errors) {
    const offset = error.pos[0];
    {
      fatal = true;
      const message = error.code === 'MULTIPLE_DOCS' ? multipleDocuments() : yamlSyntax(error.message);
      // A broken file has no reliable key path: the position says where.
      diagnostics.push(diagnostic(offset, [], message));
    }
  }
  for (const dup of duplicateKeys(doc)) {
    diagnostics.push(diagnostic(dup.offset, dup.path, duplicateKey(dup.key, position(dup.firstOffset).line)));
  }

  let data: unknown;
  if (!fatal) {
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      fatal = true;
      diagnostics.push(diagnostic(0, [], yamlNotConvertible((error as Error).message)));
    }
  }

  return {
    file,
    data,
    diagnostics,
    fatal,
    locate: (path) => {
      const steps = walk(doc, path);
      return position(steps[steps.length - 1].offset);
    },
    scalarSource: (path) => {
      const steps = walk(doc, path);
      if (steps.length !== path.length + 1) return undefined;
      const node = deref(doc, steps[steps.length - 1].node);
      return isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]) : undefined;
    },
  };
}
