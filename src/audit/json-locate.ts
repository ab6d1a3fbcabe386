/**
 * Positions in JSON text, for located snapshot errors. JSON.parse is fast
 * but gives no positions for values, and its syntax messages vary by Node
 * version; these scanners run only once something is wrong, are iterative
 * (a hostile file nested 100,000 deep cannot overflow the stack) and linear.
 */
import type { KeyPath } from '../model/diagnostics';

export interface Position {
  line: number;
  col: number;
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/** End of the string starting at `i` (a `"`), or -1 when it never closes. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** End of the value starting at `i` (after white space), skipping nested containers without recursion. */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      const e = stringEnd(text, j);
      if (e < 0) return text.length;
      j = e;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      j++;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return j;
      depth--;
      j++;
    } else if (depth === 0 && (c === 0x2c || WS.has(c))) return j;
    else j++;
    if (depth === 0 && (c === 0x22 || c === 0x7d || c === 0x5d)) return j;
  }
  return j;
}

/**
 * Offset of the value at `path` (or of the deepest part of it that exists),
 * for a text JSON.parse accepted. Keys compare after JSON unescaping.
 */
export function offsetOf(text: string, path: KeyPath): number {
  let i = skipWs(text, 0);
  for (const part of path) {
    const open = text.charCodeAt(i);
    if (open === 0x7b && typeof part === 'string') {
      let j = skipWs(text, i + 1);
      let found = -1;
      while (j < text.length && text.charCodeAt(j) === 0x22) {
        const keyEnd = stringEnd(text, j);
        if (keyEnd < 0) return i;
        let key: string;
        try {
          key = JSON.parse(text.slice(j, keyEnd)) as string;
        } catch {
          return i;
        }
        j = skipWs(text, keyEnd);
        j = skipWs(text, j + 1); // the colon
        if (key === part) found = j; // the last duplicate wins, as in JSON.parse
        j = skipWs(text, valueEnd(text, j));
        if (text.charCodeAt(j) === 0x2c) j = skipWs(text, j + 1);
        else break;
      }
      if (found < 0) return i;
      i = found;
    } else if (open === 0x5b && typeof part === 'number') {
      let j = skipWs(text, i + 1);
      for (let n = 0; n < part; n++) {
        j = skipWs(text, valueEnd(text, j));
        if (text.charCodeAt(j) !== 0x2c) return i;
        j = skipWs(text, j + 1);
      }
      if (text.charCodeAt(j) === 0x5d) return i;
      i = j;
    } else return i;
  }
  return i;
}

/**
 * Where a text JSON.parse refused is first wrong, and why: a validating scan
 * with an explicit stack. Truncation points at the end of the text.
 */
export function syntaxErrorOf(text: string): { offset: number; message: string } {
  const stack: number[] = []; // 0x7b object, 0x5b array
  let i = skipWs(text, 0);
  let expect: 'value' | 'key' | 'colon' | 'after' = 'value';
  let first = false; // the first slot of a container (a close is allowed there)
  const bad = (message: string) => ({ offset: i, message });
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (expect === 'value') {
      if (c === 0x5d && first) {
        stack.pop();
        i++;
        expect = 'after';
      } else if (c === 0x7b) {
        stack.push(0x7b);
        i = skipWs(text, i + 1);
        expect = 'key';
        first = true;
        continue;
      } else if (c === 0x5b) {
        stack.push(0x5b);
        i = skipWs(text, i + 1);
        first = true;
        continue;
      } else if (c === 0x22) {
        const e = stringEnd(text, i);
        if (e < 0) return { offset: text.length, message: 'a string that never closes (the file is cut off?)' };
        try {
          JSON.parse(text.slice(i, e));
        } catch {
          return bad('a string with a bad escape or a control character');
        }
        i = e;
        expect = 'after';
      } else {
        const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
        if (!m) return bad(`unexpected ${describe(text, i)} where a value was expected`);
        i += m[0].length;
        expect = 'after';
      }
    } else if (expect === 'key') {
      if (c === 0x7d && first) {
        stack.pop();
        i++;
        expect = 'after';
      } else if (c === 0x22) {
        const e = stringEnd(text, i);
        if (e < 0) return { offset: text.length, message: 'a key that never closes (the file is cut off?)' };
        i = e;
        expect = 'colon';
      } else return bad(`unexpected ${describe(text, i)} where a key (a "quoted string") was expected`);
    } else if (expect === 'colon') {
      if (c !== 0x3a) return bad(`unexpected ${describe(text, i)} where ":" was expected`);
      i++;
      expect = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return bad(`unexpected ${describe(text, i)} after the end of the document`);
      if (c === 0x2c) {
        i++;
        expect = top === 0x7b ? 'key' : 'value';
      } else if ((c === 0x7d && top === 0x7b) || (c === 0x5d && top === 0x5b)) {
        stack.pop();
        i++;
      } else return bad(`unexpected ${describe(text, i)} where "," or "${top === 0x7b ? '}' : ']'}" was expected`);
    }
    i = skipWs(text, i);
    first = false;
  }
  if (stack.length > 0 || expect !== 'after')
    return { offset: text.length, message: 'the document ends too early (the file is cut off or empty)' };
  return { offset: text.length, message: 'not valid JSON' };
}

function describe(text: string, i: number): string {
  return JSON.stringify(text.slice(i, i + 12));
}
