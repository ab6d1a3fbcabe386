/**
 * The org file as YAML: parsing, YAML-level errors, and positions. Every
 * later check reports a key path; `locate` turns it into line:col here, so
 * no other code needs to know about YAML nodes.
 */
import type { Document, Node } from 'yaml';
import type { Diagnostic, KeyPath } from './diagnostics';
import { parseFastYaml, type FastDocument, type FastNode } from './fast-yaml';
import { interpretedFragment } from './terraform-text';
import { collectionKey, translateYamlErrors, type RawYamlError } from './yaml-errors';
import {
  duplicateKey,
  fileTooLarge,
  multipleDocuments,
  nestingTooDeep,
  interpretedText,
  reservedKey,
  aliasesTooLarge,
  yamlNotConvertible,
  yamlVersionDirective,
  type Message,
} from './messages';

/**
 * Loader limits. An org file is attacker-controlled input: none of it may
 * crash the loader (a stack trace), pollute an object's prototype or change
 * how YAML is read.
 */
/** Moved to src/limits.ts with every other limit; re-exported for the loader's callers. */
import { SOURCE_LIMITS } from '../limits';
export { SOURCE_LIMITS };

/** Keys JavaScript gives a meaning of their own: refused anywhere, never silently dropped. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

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

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;
/**
 * `yaml`, loaded on first use: a file the fast path (./fast-yaml.ts) reads
 * never loads it (about 40 ms of start-up).
 */
function yaml(): Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlModule ??= require('yaml') as Yaml);
}

/** Follows aliases so `*anchor` values are walked like the anchored node. */
function deref(doc: Document, node: unknown): unknown {
  return yaml().isAlias(node) ? node.resolve(doc) : node;
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
    if (yaml().isMap(current)) {
      const pair = current.items.find((p) => yaml().isScalar(p.key) && String(p.key.value) === String(part));
      if (pair) next = { node: pair.value, offset: startOf(pair.key) ?? steps[steps.length - 1].offset };
    } else if (yaml().isSeq(current) && typeof part === 'number') {
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
 * How many nodes aliases add to the tree once each is replaced by what it
 * names. One pass: every node of the file is counted once, and an anchored
 * node's expanded size is kept, so an alias costs a lookup however the
 * aliases nest (a 1 KB file of 10 levels of 10 aliases stands for 10^10
 * nodes: counting it must not expand it). An alias to a node still being
 * counted (a loop) counts as one. Sizes stop growing past `limit`.
 */
function aliasedNodes(doc: Document, root: unknown, limit: number): number {
  const sizes = new Map<unknown, number>(); // anchored nodes only: no other node can be reached twice
  const open = new Set<unknown>();
  let literal = 0;
  const size = (node: unknown): number => {
    if (yaml().isAlias(node)) {
      const source = node.resolve(doc);
      return source === undefined || open.has(source) ? 1 : size(source);
    }
    const anchored = (node as { anchor?: string } | null)?.anchor !== undefined;
    if (anchored) {
      const known = sizes.get(node);
      if (known !== undefined) return known;
      open.add(node);
    }
    literal++;
    let total = 1;
    if (yaml().isMap(node)) {
      for (const pair of node.items) total = Math.min(total + size(pair.key) + size(pair.value), limit + 1);
    } else if (yaml().isSeq(node)) {
      for (const item of node.items) total = Math.min(total + size(item), limit + 1);
    }
    if (anchored) {
      open.delete(node);
      sizes.set(node, total);
    }
    return total;
  };
  const expanded = size(root);
  return Math.max(0, expanded - literal);
}

/** Every repeated key of every map (not through aliases), with the key path and where the first one is. */
function duplicateKeys(root: unknown): { path: KeyPath; offset: number; firstOffset: number }[] {
  const found: { path: KeyPath; offset: number; firstOffset: number }[] = [];
  const visit = (node: unknown, path: KeyPath): void => {
    if (yaml().isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!yaml().isPair(pair) || !yaml().isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const offset = startOf(pair.key) ?? 0;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, offset);
        else found.push({ path: [...path, key], offset, firstOffset: first });
        visit(pair.value, [...path, key]);
      }
    } else if (yaml().isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
    }
  };
  visit(root, []);
  return found;
}

/**
 * The offset where flow collections (`[`, `{`) first nest deeper than `max`,
 * or a line is indented beyond SOURCE_LIMITS.indentColumns, found without
 * parsing (the parser itself recurses and would overflow its stack). Quoted
 * scalars and comments are skipped.
 */
export function tooDeepAt(text: string, max: number): number | undefined {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && c === ' ') {
      if (++indent > SOURCE_LIMITS.indentColumns) return i;
      continue;
    }
    lineStart = false;
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'" && (i === 0 || /[\s[{,:]/.test(text[i - 1]))) {
      for (i++; i < text.length; i++) {
        if (text[i] === "'" && text[i + 1] === "'") i++;
        else if (text[i] === "'") break;
      }
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

/** Parses the org file's text. Never throws: every problem becomes a Diagnostic. */
export function parseSource(text: string, file: string, options: { fast?: boolean } = {}): ParsedSource {
  const broken = (offset: number, message: Message): ParsedSource => {
    // Positions without parsing: count the lines up to the offset.
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - before.lastIndexOf('\n');
    return {
      file,
      data: undefined,
      diagnostics: [{ severity: 'error', file, line, col, path: [], ...message }],
      fatal: true,
      locate: () => ({ line: 1, col: 1 }),
      scalarSource: () => undefined,
    };
  };

  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > SOURCE_LIMITS.bytes) return broken(0, fileTooLarge(bytes, SOURCE_LIMITS.bytes));
  const deep = tooDeepAt(text, SOURCE_LIMITS.depth);
  if (deep !== undefined) return broken(deep, nestingTooDeep(SOURCE_LIMITS.depth));

  // Plain block YAML (every org file we have seen) takes the fast path; anything else, errors included, `yaml`.
  const fast = options.fast === false ? undefined : parseFastYaml(text);
  if (fast) return fastSource(text, file, fast);

  const lineCounter = new (yaml().LineCounter)();
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

  let doc: Document;
  try {
    // YAML 1.2 core schema, no merge keys: `yes` is a string, `<<` an ordinary (unknown) key.
    // uniqueKeys is checked below with one Set per map: yaml's own check is
    // quadratic in a map's size (2,000 people: a third of the parse time).
    doc = yaml().parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.2', schema: 'core', merge: false });
  } catch (error) {
    // The pre-scan should make this unreachable; a stack overflow must still not escape as a trace.
    if (error instanceof RangeError) return broken(0, nestingTooDeep(SOURCE_LIMITS.depth));
    throw error;
  }

  const diagnostics: Diagnostic[] = [];
  let fatal = false;
  const versionDirective = /^%YAML[ \t]+(\S+)/m.exec(text);
  if (versionDirective && versionDirective[1] !== '1.2') {
    fatal = true;
    diagnostics.push(diagnostic(versionDirective.index, [], yamlVersionDirective(versionDirective[1])));
  }
  // A tab in the indentation shifts the lines after it: what the tree then holds twice is the tab's doing.
  // So does any syntax error: after it, the tree is the parser's best guess, and keys repeat in it that the file
  // does not repeat. Duplicates before the first syntax error are real.
  const tabbed = doc.errors.some((e) => e.code === 'TAB_AS_INDENT');
  const firstSyntax = Math.min(...doc.errors.filter((e) => e.code !== 'MULTIPLE_DOCS' && e.code !== 'BAD_DIRECTIVE').map((e) => e.pos[0]));
  for (const duplicate of tabbed ? [] : duplicateKeys(doc.contents).filter((d) => d.offset < firstSyntax)) {
    const key = String(duplicate.path[duplicate.path.length - 1]);
    diagnostics.push(diagnostic(duplicate.offset, duplicate.path, duplicateKey(key, position(duplicate.firstOffset).line)));
  }
  const syntax: RawYamlError[] = [];
  for (const error of doc.errors) {
    const offset = error.pos[0];
    if (error.code === 'BAD_DIRECTIVE' && versionDirective) {
      // Already reported as a YAML version problem.
    } else if (error.code === 'MULTIPLE_DOCS') {
      fatal = true;
      diagnostics.push(diagnostic(offset, [], multipleDocuments()));
    } else {
      fatal = true;
      syntax.push({ code: error.code, message: error.message, offset });
    }
  }
  if (syntax.length > 0) {
    // In rolecall's words, each with a fix that was checked by parsing the fixed text (./yaml-errors.ts).
    const options = { uniqueKeys: false, prettyErrors: false, version: '1.2', schema: 'core', merge: false } as const;
    const reparse = (candidate: string): RawYamlError[] =>
      yaml()
        .parseDocument(candidate, options)
        .errors.filter((e) => e.code !== 'MULTIPLE_DOCS' && !(e.code === 'BAD_DIRECTIVE' && versionDirective))
        .map((e) => ({ code: e.code, message: e.message, offset: e.pos[0] }));
    // A broken file has no reliable key path: the position says where.
    for (const problem of translateYamlErrors(text, syntax, reparse)) {
      diagnostics.push({ severity: 'error', file, line: problem.line, col: problem.col, path: [], ...problem.message });
    }
  }

  // Aliases are refused before anything walks through them: the walk below
  // (and toJS) would expand an alias bomb, exponential in its levels.
  // (No `&` in the text: no anchor, so no alias that resolves; nothing to count.)
  if (!fatal && text.includes('&')) {
    if (aliasedNodes(doc, doc.contents, 4 * SOURCE_LIMITS.bytes + SOURCE_LIMITS.aliasedNodes) > SOURCE_LIMITS.aliasedNodes) {
      fatal = true;
      diagnostics.push(diagnostic(0, [], aliasesTooLarge(SOURCE_LIMITS.aliasedNodes)));
    }
  }

  // Block nesting, and keys JavaScript would misread, on the parsed tree.
  const reserved: KeyPath[] = [];
  if (!fatal) {
    const visit = (node: unknown, path: Array<string | number>, depth: number): boolean => {
      node = deref(doc, node);
      if (!yaml().isMap(node) && !yaml().isSeq(node)) return true;
      if (depth > SOURCE_LIMITS.depth) {
        diagnostics.push(diagnostic(startOf(node) ?? 0, path, nestingTooDeep(SOURCE_LIMITS.depth)));
        fatal = true;
        return false;
      }
      if (yaml().isMap(node)) {
        for (const pair of node.items) {
          if (yaml().isCollection(pair.key)) {
            // `? [a]: 1`: yaml would make the key the text "[ a ]" (and print a warning); no org file key is a list.
            diagnostics.push(diagnostic(startOf(pair.key) ?? 0, path, collectionKey()));
            fatal = true;
            return false;
          }
          const key = yaml().isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (key !== undefined && RESERVED_KEYS.includes(key)) {
            reserved.push([...path, key]);
            diagnostics.push(diagnostic(startOf(pair.key) ?? 0, [...path, key], reservedKey(key)));
            continue;
          }
          // No key is ever a place for Terraform or CDKTF syntax (names, tag keys, condition keys...).
          const fragment = key === undefined ? undefined : interpretedFragment(key);
          if (fragment) diagnostics.push(diagnostic(startOf(pair.key) ?? 0, [...path, key!], interpretedText(fragment)));
          if (!visit(pair.value, [...path, key ?? '?'], depth + 1)) return false;
        }
      } else {
        for (let i = 0; i < node.items.length; i++) if (!visit(node.items[i], [...path, i], depth + 1)) return false;
      }
      return true;
    };
    visit(doc.contents, [], 1);
  }

  let data: unknown;
  if (!fatal) {
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
      // Reported above; removed so the rest of the file is still checked.
      for (const path of reserved) deleteAt(data, path);
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
      return yaml().isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]) : undefined;
    },
  };
}

/**
 * A file the fast path read: no YAML-level diagnostic (it leaves every
 * doubtful file to `yaml`), and `locate`/`scalarSource` over its node tree,
 * with the same answers as the `yaml` walk above.
 */
function fastSource(text: string, file: string, fast: FastDocument): ParsedSource {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - lineStarts[lo] + 1 };
  };
  const walkFast = (path: KeyPath): { node: FastNode; offset: number; steps: number } => {
    const root = fast.tree();
    let node: FastNode = root;
    let offset = root.start;
    let steps = 1;
    for (const part of path) {
      if (node.kind === 'map') {
        const i = node.keys.indexOf(String(part));
        if (i < 0) break;
        offset = node.keyStarts[i];
        node = node.values[i];
      } else if (node.kind === 'seq' && typeof part === 'number' && node.items[part] !== undefined) {
        node = node.items[part];
        offset = node.start;
      } else break;
      steps++;
    }
    return { node, offset, steps };
  };
  return {
    file,
    data: fast.data,
    diagnostics: [],
    fatal: false,
    locate: (path) => position(walkFast(path).offset),
    scalarSource: (path) => {
      const { node, steps } = walkFast(path);
      return steps === path.length + 1 && node.kind === 'scalar' ? text.slice(node.start, node.end) : undefined;
    },
  };
}

/** Deletes the own property at `path` (its parents exist: the path came from the tree). */
function deleteAt(data: unknown, path: KeyPath): void {
  let node = data as Record<string | number, unknown> | undefined;
  for (const part of path.slice(0, -1)) node = node?.[part] as Record<string | number, unknown> | undefined;
  const last = path[path.length - 1];
  if (node && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, last)) delete node[last];
}
