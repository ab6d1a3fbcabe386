/**
 * A fast path for the plain block YAML org files are written in: maps and
 * lists by indentation, `- key: value` items, one-line scalars (plain,
 * "double" without escapes, 'single'), one-line `[a, b]` and `{ k: v }`, and
 * comments. Everything else (anchors, tags, block scalars, multi-line
 * scalars, escapes, tabs, CR, directives, several documents, duplicate or
 * reserved keys, anything malformed) makes it return undefined, and the
 * caller parses the file with `yaml`, which reports every error. So this
 * never reports anything itself: a file it accepts has no YAML-level
 * diagnostic, and its data and positions are what `yaml` would produce
 * (YAML 1.2 core schema; test/model/fast-yaml.test.ts compares the two).
 *
 * Why: `yaml`'s parser and composer take about 0.5 s of a cold process for
 * the 2,000-person bench org (16,000 lines); this single pass takes a tenth.
 */
import { SOURCE_LIMITS } from '../limits';
import { interpretedFragment } from './terraform-text';

export type FastNode = FastMap | FastSeq | FastScalar;
/** A mapping: its keys in order, where each key starts, and the values. */
export interface FastMap {
  kind: 'map';
  start: number;
  keys: string[];
  keyStarts: number[];
  values: FastNode[];
}
export interface FastSeq {
  kind: 'seq';
  start: number;
  items: FastNode[];
}
/** A scalar's source range (quotes included), as `yaml`'s range[0..1]; empty for an absent value. */
export interface FastScalar {
  kind: 'scalar';
  start: number;
  end: number;
}

export interface FastDocument {
  data: Record<string, unknown>;
  /** The node tree, for positions. */
  tree(): FastMap;
}

/** Keys JavaScript gives a meaning of their own (source.ts reports them, through `yaml`). */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * Plain keys the fast path takes: a letter or `_` first, so the key is a
 * string under the core schema (no number); then what IAM condition keys and
 * tag keys use (`aws:ResourceTag/team`, `cost center`), with no space or `:`
 * at the end.
 */
const PLAIN_KEY = /^[A-Za-z_](?:[A-Za-z0-9_./:=+@ -]*[A-Za-z0-9_./=+@-])?$/;
/** Characters that make the whole file go to `yaml`: tabs, CR, other controls, C1 controls (NEL), BOM and non-characters. */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED_CHARS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]/;

/** A plain scalar inside `[...]` or `{...}`: up to a flow indicator or the end of the line. */
const FLOW_PLAIN = /[^,[\]{}\n]*/y;

/** Thrown to leave the fast path; never escapes parseFastYaml. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();
function bail(): never {
  throw UNSUPPORTED;
}

/**
 * A plain scalar's value under the YAML 1.2 core schema, tested in `yaml`'s
 * order (null, bool, octal, decimal, hex, .nan/.inf, exponent, float), with
 * its resolve functions (intAsBigInt off).
 */
export function resolvePlain(s: string): unknown {
  if (s.length === 0) return null;
  // The first character says which tests can match (most scalars are words: none).
  const first = s.charCodeAt(0);
  if (first === 126 || first === 110 || first === 78) return /^(?:~|[Nn]ull|NULL)$/.test(s) ? null : s;
  if (first === 116 || first === 84 || first === 102 || first === 70) {
    return /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s) ? first === 116 || first === 84 : s;
  }
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return s;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
    return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

/** The file's data and node tree, or undefined when it is not in the subset (then use `yaml`). */
export function parseFastYaml(text: string): FastDocument | undefined {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    // The tree in the same pass: a second pass only when positions are asked for would cost more as soon as a
    // file has one notice (the bench org has several), and building it costs little beside the data.
    const { data, root } = new FastParser(text, true).document();
    return { data, tree: () => root! };
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

/**
 * One pass over the text. Each value method returns the value's data and
 * leaves its node in `this.node` (only when building the tree: most runs
 * need data alone) and, for a flow value, where it ends in `this.flowEnd`.
 */
class FastParser {
  /** Per content line (not blank, not only a comment): indentation, where its content starts and where the line ends. */
  private readonly indent: number[] = [];
  private readonly start: number[] = [];
  private readonly lineStart: number[] = [];
  private readonly end: number[] = [];
  private li = 0;
  private node: FastNode | undefined;
  private flowEnd = 0;
  /** Where the text after a key's `:` starts (set by key()). */
  private afterKey = 0;

  constructor(
    private readonly text: string,
    private readonly withTree: boolean,
  ) {
    let at = 0;
    while (at <= text.length) {
      let eol = text.indexOf('\n', at);
      if (eol < 0) eol = text.length;
      let p = at;
      while (p < eol && text.charCodeAt(p) === 32) p++;
      if (p < eol && text[p] !== '#') {
        const indent = p - at;
        // Directives and document markers: `yaml` decides.
        if (indent === 0 && (text[p] === '%' || text.startsWith('---', p) || text.startsWith('...', p))) bail();
        this.indent.push(indent);
        this.start.push(p);
        this.lineStart.push(at);
        this.end.push(eol);
      }
      at = eol + 1;
    }
  }

  document(): { data: Record<string, unknown>; root: FastMap | undefined } {
    if (this.indent.length === 0 || this.indent[0] !== 0 || this.isSeqItem(0)) bail();
    const data = this.map(0, 1);
    if (this.li !== this.indent.length) bail();
    return { data, root: this.node as FastMap | undefined };
  }

  private isSeqItem(li: number): boolean {
    const s = this.start[li];
    return this.text[s] === '-' && (s + 1 === this.end[li] || this.text[s + 1] === ' ');
  }

  /** The block value starting at the current line (at `indent`): a map or a list. */
  private block(indent: number, depth: number): unknown {
    return this.isSeqItem(this.li) ? this.seq(indent, depth) : this.map(indent, depth);
  }

  private scalarNode(start: number, end: number): void {
    this.node = this.withTree ? { kind: 'scalar', start, end } : undefined;
  }

  private map(indent: number, depth: number): Record<string, unknown> {
    if (depth > SOURCE_LIMITS.depth) bail();
    const text = this.text;
    const node: FastMap | undefined = this.withTree
      ? { kind: 'map', start: this.start[this.li], keys: [], keyStarts: [], values: [] }
      : undefined;
    const data: Record<string, unknown> = {};
    while (this.li < this.indent.length) {
      const li = this.li;
      if (this.indent[li] < indent) break;
      if (this.indent[li] > indent || this.isSeqItem(li)) bail();
      const s = this.start[li];
      const e = this.end[li];
      const key = this.key(s, e);
      if (Object.prototype.hasOwnProperty.call(data, key)) bail();
      let p = this.afterKey;
      while (p < e && text.charCodeAt(p) === 32) p++;
      let value: unknown;
      if (p === e || text[p] === '#') {
        this.li++;
        // `key:` and its value on the lines below, or nothing (null).
        if (this.li < this.indent.length && this.indent[this.li] > indent) value = this.block(this.indent[this.li], depth + 1);
        else {
          value = null;
          this.scalarNode(p, p);
        }
      } else {
        value = this.inline(p, e, depth + 1);
        this.li++;
      }
      if (node) {
        node.keys.push(key);
        node.keyStarts.push(s);
        node.values.push(this.node!);
      }
      data[key] = value;
    }
    this.node = node;
    return data;
  }

  private seq(indent: number, depth: number): unknown[] {
    if (depth > SOURCE_LIMITS.depth) bail();
    const text = this.text;
    const node: FastSeq | undefined = this.withTree ? { kind: 'seq', start: this.start[this.li], items: [] } : undefined;
    const data: unknown[] = [];
    while (this.li < this.indent.length) {
      const li = this.li;
      if (this.indent[li] < indent) break;
      if (this.indent[li] > indent || !this.isSeqItem(li)) bail();
      const e = this.end[li];
      let p = this.start[li] + 1;
      while (p < e && text.charCodeAt(p) === 32) p++;
      let item: unknown;
      if (p === e || text[p] === '#') {
        // `-` alone: its value on the lines below (an empty item goes to `yaml`).
        this.li++;
        if (this.li < this.indent.length && this.indent[this.li] > indent) item = this.block(this.indent[this.li], depth + 1);
        else bail();
      } else if (text[p] === '-' && (p + 1 === e || text[p + 1] === ' ')) {
        bail(); // `- - x`
      } else if (this.startsMapping(p, e)) {
        // `- key: value`: a map whose keys line up with this first one.
        this.indent[li] = p - this.lineStart[li];
        this.start[li] = p;
        item = this.map(this.indent[li], depth + 1);
      } else {
        item = this.inline(p, e, depth + 1);
        this.li++;
      }
      if (node) node.items.push(this.node!);
      data.push(item);
    }
    this.node = node;
    return data;
  }

  /** A key at `s` followed by `:` and a space or the end of the line (then afterKey is past the `:`); anything else is not in the subset. */
  private key(s: number, e: number): string {
    const text = this.text;
    let key: string;
    let colon: number;
    const c = text[s];
    if (c === '"' || c === "'") {
      key = this.quoted(s, e);
      colon = this.flowEnd;
      if (text[colon] !== ':') bail();
    } else {
      colon = this.mappingColon(s, e);
      if (colon < 0) bail();
      key = text.slice(s, colon);
      this.checkKey(key, true);
    }
    if (colon + 1 < e && text[colon + 1] !== ' ') bail();
    // YAML allows at most 1,024 characters from a key's start to its ":" (KEY_OVER_1024_CHARS).
    if (colon - s > 1024) bail();
    this.checkKey(key, false);
    this.afterKey = colon + 1;
    return key;
  }
  /** The first `:` followed by a space or the end of the line, from `s`; -1 when none. */
  private mappingColon(s: number, e: number): number {
    const colon = this.find(': ', s, e);
    if (colon >= 0) return colon;
    return this.text.charCodeAt(e - 1) === 58 ? e - 1 : -1;
  }

  /** `needle` in the text between `from` and `e` (one line: never a search to the end of the file); -1 when absent. */
  private find(needle: string, from: number, e: number): number {
    const i = this.text.slice(from, e).indexOf(needle);
    return i < 0 ? -1 : from + i;
  }

  /** Plain keys already accepted, and keys (plain or quoted) already checked for reserved names and Terraform syntax. */
  private readonly plainKeys = new Set<string>();
  private readonly checkedKeys = new Set<string>();
  private checkKey(key: string, plain: boolean): void {
    if (plain) {
      if (this.plainKeys.has(key)) return;
      if (!PLAIN_KEY.test(key) || typeof resolvePlain(key) !== 'string') bail();
      this.plainKeys.add(key);
    } else {
      if (this.checkedKeys.has(key)) return;
      if (RESERVED.has(key) || interpretedFragment(key) !== undefined) bail();
      this.checkedKeys.add(key);
    }
  }

  /** True when the item text at `p` is `key: ...` (a map inside a list item). */
  private startsMapping(p: number, e: number): boolean {
    const text = this.text;
    const c = text[p];
    if (c === '"' || c === "'") {
      this.quoted(p, e);
      return text[this.flowEnd] === ':';
    }
    if (c === '[' || c === '{') return false;
    const colon = this.mappingColon(p, e);
    if (colon < 0) return false;
    const comment = this.find(' #', p, e);
    return comment < 0 || comment >= colon;
  }

  /** A one-line quoted scalar at `s`: "..." without backslashes, or '...' with '' for a quote. Its end is left in flowEnd. */
  private quoted(s: number, e: number): string {
    const text = this.text;
    if (text[s] === '"') {
      const close = text.indexOf('"', s + 1);
      if (close < 0 || close >= e) bail();
      const value = text.slice(s + 1, close);
      if (value.includes('\\')) bail();
      this.flowEnd = close + 1;
      return value;
    }
    let value = '';
    let from = s + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0 || close >= e) bail();
      value += text.slice(from, close);
      if (text[close + 1] === "'") {
        value += "'";
        from = close + 2;
      } else {
        this.flowEnd = close + 1;
        return value;
      }
    }
  }

  /** A value on the rest of the line (block context): a scalar, `[...]` or `{...}`, then only a comment. */
  private inline(p: number, e: number, depth: number): unknown {
    const text = this.text;
    const c = text[p];
    let value: unknown;
    if (c === '"' || c === "'") {
      value = this.quoted(p, e);
      this.scalarNode(p, this.flowEnd);
    } else if (c === '[' || c === '{') {
      value = this.flowValue(p, e, depth);
    } else {
      this.plainStart(p, e);
      const comment = this.find(' #', p, e);
      let end = comment >= 0 ? comment : e;
      // `: ` inside, or `:` at the end, would make it a key.
      const colon = this.find(': ', p, end);
      if (colon >= 0 || (end === e && text.charCodeAt(e - 1) === 58)) bail();
      while (text.charCodeAt(end - 1) === 32) end--;
      this.scalarNode(p, end);
      return resolvePlain(text.slice(p, end));
    }
    // After a quoted or flow value: spaces, then the end of the line or a comment.
    const after = this.flowEnd;
    const q = this.skipSpaces(after, e);
    if (q < e && !(text[q] === '#' && q > after)) bail();
    return value;
  }

  /** Refuses what cannot start a plain scalar here: indicators, `- `, `: `, `? `. */
  private plainStart(p: number, e: number): void {
    const c = this.text[p];
    if ('&*!|>%@`#,[]{}\'"'.includes(c)) bail();
    if ((c === '-' || c === '?' || c === ':') && (p + 1 === e || ' ,[]{}'.includes(this.text[p + 1]))) bail();
    if (c === '?' || c === ':') bail();
  }

  /**
   * A value inside a flow collection at `p` (spaces skipped): a nested
   * `[...]` or `{...}`, a quoted scalar, or a plain one up to `,` or the
   * closing bracket. Its end is left in flowEnd.
   */
  private flowValue(p: number, e: number, depth: number): unknown {
    const text = this.text;
    const c = text[p];
    if (c === '[' || c === '{') {
      if (depth > SOURCE_LIMITS.depth) bail();
      return c === '[' ? this.flowSeq(p, e, depth) : this.flowMap(p, e, depth);
    }
    if (c === '"' || c === "'") {
      const value = this.quoted(p, e);
      this.scalarNode(p, this.flowEnd);
      return value;
    }
    this.plainStart(p, e);
    FLOW_PLAIN.lastIndex = p;
    FLOW_PLAIN.test(text);
    let end = FLOW_PLAIN.lastIndex;
    // It must end at `,` or the closing bracket, and hold no comment, `: ` or final `:` (a key).
    const stop = text[end];
    if (end >= e || (stop !== ',' && stop !== ']' && stop !== '}')) bail();
    const raw = text.slice(p, end);
    if (raw.includes(' #') || raw.includes(': ') || raw.endsWith(':')) bail();
    while (text.charCodeAt(end - 1) === 32) end--;
    if (end === p) bail();
    this.scalarNode(p, end);
    this.flowEnd = end;
    return resolvePlain(text.slice(p, end));
  }

  private skipSpaces(q: number, e: number): number {
    while (q < e && this.text.charCodeAt(q) === 32) q++;
    return q;
  }

  /** `[a, "b", [c]]` on one line; no trailing comma. */
  private flowSeq(p: number, e: number, depth: number): unknown[] {
    const text = this.text;
    const node: FastSeq | undefined = this.withTree ? { kind: 'seq', start: p, items: [] } : undefined;
    const data: unknown[] = [];
    let q = this.skipSpaces(p + 1, e);
    if (text[q] !== ']') {
      for (;;) {
        data.push(this.flowValue(q, e, depth + 1));
        if (node) node.items.push(this.node!);
        q = this.skipSpaces(this.flowEnd, e);
        if (text[q] === ']') break;
        if (text[q] !== ',') bail();
        q = this.skipSpaces(q + 1, e);
        if (q >= e || text[q] === ']') bail();
      }
    }
    this.node = node;
    this.flowEnd = q + 1;
    return data;
  }

  /** `{ k: v, "k2": [v2] }` on one line; no trailing comma. */
  private flowMap(p: number, e: number, depth: number): Record<string, unknown> {
    const text = this.text;
    const node: FastMap | undefined = this.withTree ? { kind: 'map', start: p, keys: [], keyStarts: [], values: [] } : undefined;
    const data: Record<string, unknown> = {};
    let q = this.skipSpaces(p + 1, e);
    if (text[q] !== '}') {
      for (;;) {
        let key: string;
        let colon: number;
        const keyStart = q;
        if (text[q] === '"' || text[q] === "'") {
          key = this.quoted(q, e);
          colon = this.flowEnd;
        } else {
          colon = this.find(': ', q, e);
          if (colon < 0) bail();
          key = text.slice(q, colon);
          this.checkKey(key, true);
        }
        if (text[colon] !== ':' || text[colon + 1] !== ' ') bail();
        this.checkKey(key, false);
        if (Object.prototype.hasOwnProperty.call(data, key)) bail();
        data[key] = this.flowValue(this.skipSpaces(colon + 1, e), e, depth + 1);
        if (node) {
          node.keys.push(key);
          node.keyStarts.push(keyStart);
          node.values.push(this.node!);
        }
        q = this.skipSpaces(this.flowEnd, e);
        if (text[q] === '}') break;
        if (text[q] !== ',') bail();
        q = this.skipSpaces(q + 1, e);
        if (q >= e || text[q] === '}') bail();
      }
    }
    this.node = node;
    this.flowEnd = q + 1;
    return data;
  }
}
