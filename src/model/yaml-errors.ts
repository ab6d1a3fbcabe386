/**
 * The `yaml` package's errors, in rolecall's words (issue 19.5). Its own
 * texts ("Implicit keys need to be on a single line", "Nested mappings are
 * not allowed in compact mappings") name the parser's state, not the
 * mistake; some point one line past it (an unclosed `[` is noticed where the
 * next key starts), and one tab in an indentation cascades into half a dozen
 * errors about the lines after it.
 *
 * Each error is translated here into a located Message with a stable code, a
 * plain sentence and a fix. A fix that names an edit ("write `master:`",
 * "close it: `services: [s3]`") is applied to the text and the text parsed
 * again: it is offered only when that edit clears the error, so the fix
 * shown is itself valid. YAML_ERROR_WORDS covers every ErrorCode the
 * package declares (the type makes a new one a compile error); a code it
 * does not know at run time falls back to RC005 with the package's text.
 *
 * No `yaml` import: the caller (source.ts) owns the parser and passes a
 * re-parse; this module only reads text.
 */
import type { ErrorCode } from 'yaml';
import type { Message } from './messages';
import { SOURCE_LIMITS } from '../limits';

/** One error as `yaml` reports it: its code, its text and where (an offset into the text). */
export interface RawYamlError {
  code: string;
  message: string;
  offset: number;
}

/** A translated error: where (1-based) and what. */
export interface YamlProblem {
  line: number;
  col: number;
  message: Message;
}

/** Parses `text` again (same options as the first parse) and returns its errors. */
export type Reparse = (text: string) => RawYamlError[];
/** A re-parse within the budget: undefined once it is spent (then no fix is checked, and none is offered). */
type Budgeted = (text: string) => RawYamlError[] | undefined;

/**
 * How much text the fixes may re-parse in all, per file (SOURCE_LIMITS). A
 * small file can check every fix; a large one with many errors checks the
 * first few, and the rest get their plain fix.
 */
export const REPARSE_BYTES: number = SOURCE_LIMITS.reparseBytes;

// ---------------------------------------------------------------------------
// Messages: one function per code (RC012-RC017), and the table for the rest (RC005)

export function tabIndent(fix: string | undefined): Message {
  return {
    code: 'RC012',
    message: 'a tab in the indentation: YAML indents with spaces only, and the lines after a tab no longer line up',
    expected: 'spaces before each key and list item',
    fix: fix ?? 'indent with spaces, as many as the lines around it use (an editor setting "insert spaces" prevents it)',
  };
}

export function unclosedFlow(open: '[' | '{', line: number, fix: string | undefined): Message {
  const close = open === '[' ? ']' : '}';
  const what = open === '[' ? 'list' : 'map';
  return {
    code: 'RC013',
    message: `the ${what} opened with "${open}" on line ${line} is never closed`,
    expected: `a "${close}" after its last item`,
    fix: fix ?? `add "${close}" after the last item (a ${what} written over several lines needs each line indented deeper than its key)`,
  };
}

export function keyWithoutColon(key: string | undefined, fix: string | undefined, lineBelow = true): Message {
  return {
    code: 'RC014',
    message:
      key === undefined
        ? 'a key that runs over several lines: a key and its ":" must be on one line'
        : lineBelow
          ? `"${key}" has no ":" after it, so YAML reads it and the indented line below as one key over two lines`
          : `"${key}" has no ":" after it, in a map where each line is "key: value"`,
    expected: 'key: value, or key: followed by indented lines',
    fix: fix ?? 'end the key with ":" on its own line, or quote text that spans lines',
  };
}

export function colonInValue(value: string | undefined, fix: string | undefined): Message {
  return {
    code: 'RC015',
    message:
      value === undefined
        ? 'a value holds ": ", which YAML reads as a second key on the same line'
        : `the value "${value}" holds ": ", which YAML reads as a second key on the same line`,
    expected: 'one key per line; a map goes on the lines below its key, indented',
    fix: fix ?? 'quote the value if it is text, or put the inner key on its own line, indented under its parent',
  };
}

export function misaligned(what: 'map' | 'list', fix: string | undefined, first = false): Message {
  return {
    code: 'RC016',
    message: first
      ? `this ${what === 'map' ? 'key' : 'list item'} does not line up with the ${what === 'map' ? 'keys' : 'items'} after it`
      : what === 'map'
        ? 'this key does not line up with the keys of any map above it'
        : 'this list item does not line up with the items before it',
    expected: what === 'map' ? 'every key of one map at the same column' : 'every "- " of one list at the same column',
    fix: fix ?? 'indent it as its siblings are (a nested map or list 2 spaces deeper than its key)',
  };
}

export function unclosedQuote(quote: '"' | "'", line: number, fix: string | undefined): Message {
  return {
    code: 'RC017',
    message: `the ${quote === '"' ? 'double' : 'single'}-quoted text opened on line ${line} is never closed`,
    expected: `a closing ${quote} before the line ends`,
    fix: fix ?? `close it with ${quote}${quote === '"' ? ' (a " inside it is written \\")' : " (a ' inside it is written '')"}`,
  };
}

/** The words for the errors no RC012-RC017 case handles (RC005): what, and a fix, per `yaml` error code. */
export const YAML_ERROR_WORDS: Record<ErrorCode, { message: string; fix?: string }> = {
  ALIAS_PROPS: { message: 'an alias (*name) cannot carry a tag or an anchor of its own', fix: 'remove the & or ! before the *alias' },
  BAD_ALIAS: {
    message: 'an anchor (&name) or alias (*name) is empty or ends in ":"',
    fix: 'give it a name of letters, digits and "-" (&base ... *base), or quote text that starts with & or *',
  },
  BAD_DIRECTIVE: { message: 'a %-directive line YAML does not know', fix: 'remove the line starting with %' },
  BAD_DQ_ESCAPE: {
    message: 'a backslash in double-quoted text starts an escape YAML does not know',
    fix: 'write the backslash twice (\\\\), or use single quotes, where a backslash is an ordinary character',
  },
  BAD_INDENT: {
    message: 'the indentation does not fit the map or list it is in',
    fix: 'indent it as its siblings are (a nested map or list 2 spaces deeper than its key)',
  },
  BAD_PROP_ORDER: { message: 'an anchor or tag comes before the "-" or "?" of its item', fix: 'put it after the "-": - &name value' },
  BAD_SCALAR_START: {
    message: 'a value cannot start with @ or ` unquoted (YAML reserves them)',
    fix: 'quote the value: "@..."',
  },
  BLOCK_AS_IMPLICIT_KEY: { message: 'a list or map cannot be a key', fix: 'use a plain name as the key' },
  BLOCK_IN_FLOW: {
    message: 'a "- item" or "key: value" line inside [ ] or { }',
    fix: 'use one form: [a, b] (or { k: v }) on one line, or one "- item" (or "key: value") per line without brackets',
  },
  DUPLICATE_KEY: { message: 'a key appears twice in one map', fix: 'keep only one of them' },
  IMPOSSIBLE: { message: 'YAML the parser cannot read at all here', fix: 'rewrite this line as plain "key: value"' },
  KEY_OVER_1024_CHARS: { message: 'a key longer than 1,024 characters', fix: 'shorten the key' },
  MISSING_CHAR: {
    message: 'a character YAML needs is missing (a ",", a ":", or a space before "#")',
    fix: 'separate items with ", ", keys from values with ": ", and start comments with " #"',
  },
  MULTILINE_IMPLICIT_KEY: { message: 'a key that runs over several lines', fix: 'end the key with ":" on its own line' },
  MULTIPLE_ANCHORS: { message: 'a value with two anchors (&a &b)', fix: 'keep one anchor' },
  MULTIPLE_DOCS: { message: 'the file holds more than one YAML document', fix: 'remove the "---" separator and merge the documents' },
  MULTIPLE_TAGS: { message: 'a value with two tags (!a !b)', fix: 'remove the tags: an org file needs none' },
  NON_STRING_KEY: { message: 'a key that is a list or a map, not a name', fix: 'use a plain name as the key' },
  TAB_AS_INDENT: { message: 'a tab in the indentation', fix: 'indent with spaces' },
  TAG_RESOLVE_FAILED: { message: 'a !tag YAML cannot apply here', fix: 'remove the !tag: an org file needs none' },
  UNEXPECTED_TOKEN: {
    message: 'text YAML does not expect here',
    fix: 'check the line for a stray character, or quote the value',
  },
  BAD_COLLECTION_TYPE: {
    message: 'a !tag for a list used on a map, or the other way round',
    fix: 'remove the !tag: an org file needs none',
  },
};

/** RC005: an error of a kind RC006-RC017 do not cover, in the table's words (the package's text for a code it does not list). */
export function yamlSyntax(code: string, raw: string): Message {
  const words = (YAML_ERROR_WORDS as Record<string, { message: string; fix?: string } | undefined>)[code];
  const said = raw.replace(/\s+/g, ' ').trim();
  if (!words) return { code: 'RC005', message: `YAML syntax error: ${said}`, fix: 'check this line against the YAML around it' };
  return { code: 'RC005', message: `YAML syntax error: ${words.message} (YAML: "${said}")`, fix: words.fix };
}

/** RC005 for a key that is a list or a map (`? [a]`), which yaml itself accepts. */
export function collectionKey(): Message {
  return {
    code: 'RC005',
    message: `YAML syntax error: ${YAML_ERROR_WORDS.NON_STRING_KEY.message}`,
    fix: YAML_ERROR_WORDS.NON_STRING_KEY.fix,
  };
}

// ---------------------------------------------------------------------------
// Reading the text

class Lines {
  readonly starts: number[] = [0];
  readonly list: string[];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    this.list = text.split('\n').map((l) => l.replace(/\r$/, ''));
  }
  /** 0-based line index of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  at(offset: number): { line: number; col: number } {
    const i = this.lineOf(Math.max(0, Math.min(offset, this.text.length)));
    return { line: i + 1, col: offset - this.starts[i] + 1 };
  }
  /** The text with line `i` (0-based) replaced. */
  with(i: number, replacement: string): string {
    const copy = [...this.list];
    copy[i] = replacement;
    return copy.join('\n');
  }
}

const indentOf = (line: string): number => /^ */.exec(line)![0].length;
const isContent = (line: string): boolean => line.trim() !== '' && !line.trim().startsWith('#');
/** A line without its trailing comment (a " #" outside quotes), trimmed at the end. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(line[i - 1]))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/**
 * What is open at `offset`, scanning from the start: the flow brackets not
 * yet closed (innermost last) and a quote not yet closed. Comments and
 * quoted text are skipped; a quote opens only where a value can start.
 */
function openAt(
  text: string,
  offset: number,
): { brackets: { char: '[' | '{'; offset: number }[]; quote?: { char: '"' | "'"; offset: number } } {
  const brackets: { char: '[' | '{'; offset: number }[] = [];
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:-]/.test(text[i - 1]))) {
      const start = i;
      let closed = false;
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (c === "'" && text[i] === "'" && text[i + 1] === "'") i++;
        else if (text[i] === c) {
          closed = true;
          break;
        }
      }
      if (!closed || i >= offset) return { brackets, quote: { char: c, offset: start } };
    } else if (c === '[' || c === '{') {
      brackets.push({ char: c, offset: i });
    } else if (c === ']' || c === '}') {
      const open = c === ']' ? '[' : '{';
      const at = brackets.map((b) => b.char).lastIndexOf(open);
      if (at >= 0) brackets.splice(at);
    }
  }
  return { brackets };
}

// ---------------------------------------------------------------------------
// Translation

/**
 * Every error of one parse, translated. `reparse` checks fixes and, when
 * the file has tabs in its indentation, reads the file with spaces instead
 * so the errors that remain are its own, not the tab's cascade. Likewise
 * after the first error with a checked fix: the errors after it are those
 * the fixed text still has (a key without its ":" misaligns every line of
 * its map; once it has one, they line up). `budget` bounds the re-parses.
 */
export function translateYamlErrors(
  text: string,
  errors: readonly RawYamlError[],
  reparse: Reparse,
  budget = 12,
  bytes = REPARSE_BYTES,
): YamlProblem[] {
  const memo = new Map<string, RawYamlError[]>();
  let left = Math.max(bytes, 3 * text.length);
  const cached: Budgeted = (candidate) => {
    let found = memo.get(candidate);
    if (found) return found;
    if (left < candidate.length) return undefined;
    left -= candidate.length;
    memo.set(candidate, (found = reparse(candidate)));
    return found;
  };
  return translate(text, errors, cached, budget);
}

function translate(text: string, errors: readonly RawYamlError[], reparse: Budgeted, budget: number): YamlProblem[] {
  const lines = new Lines(text);
  const tabs = [...new Set(errors.filter((e) => e.code === 'TAB_AS_INDENT').map((e) => lines.lineOf(e.offset)))].sort((a, b) => a - b);
  if (tabs.length > 0) return withoutTabs(lines, tabs, reparse, budget);

  /** True when `candidate` parses with no error on lines first..last (0-based); the last such candidate is kept. */
  let fixedText: string | undefined;
  const clears = (candidate: string, first: number, last: number): boolean => {
    const errors = reparse(candidate);
    if (errors === undefined) return false;
    const after = new Lines(candidate);
    const ok = errors.every((e) => {
      const l = after.lineOf(e.offset);
      return l < first || l > last;
    });
    if (ok) fixedText = candidate;
    return ok;
  };

  // One problem per line: yaml often reports one mistake as two or three errors on its line
  // (a misaligned item is also "a key without a value"); the most specific is kept, else the first.
  const byLine = new Map<number, YamlProblem>();
  const keep = (problem: YamlProblem): void => {
    const kept = byLine.get(problem.line);
    if (kept === undefined || (kept.message.code === 'RC005' && problem.message.code !== 'RC005')) byLine.set(problem.line, problem);
  };
  for (const error of [...errors].sort((a, b) => a.offset - b.offset)) {
    fixedText = undefined;
    keep(translateOne(lines, error, clears));
    if (fixedText !== undefined && budget > 0) {
      // Fixes rewrite one line: the lines, and so the positions, stay those of the file.
      const fixed = fixedText;
      const remaining = reparse(fixed);
      if (remaining === undefined) continue;
      for (const problem of translate(fixed, remaining, reparse, budget - 1)) keep(problem);
      break;
    }
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line || a.col - b.col);
}

function translateOne(lines: Lines, error: RawYamlError, clears: (candidate: string, first: number, last: number) => boolean): YamlProblem {
  const text = lines.text;
  const at = lines.at(error.offset);
  const lineIndex = lines.lineOf(error.offset);
  const line = lines.list[lineIndex] ?? '';
  const located = (message: Message, where = at): YamlProblem => ({ ...where, message });

  // An unclosed [ or {: at the bracket, not where the parser gave up.
  const flow = /^Flow (sequence|map)\b.*end with a ([\]}])/.exec(error.message);
  if (flow) {
    const char = flow[2] === ']' ? '[' : '{';
    const open = [...openAt(text, error.offset).brackets].reverse().find((b) => b.char === char);
    if (open) {
      const openLine = lines.lineOf(open.offset);
      const content = withoutComment(lines.list[openLine]);
      const spaced = text[open.offset + 1] === ' ' ? ' ' : '';
      const closed = `${content.replace(/[,\s]+$/, '')}${spaced}${flow[2]}${lines.list[openLine].slice(content.length)}`;
      const fix = clears(lines.with(openLine, closed), openLine, lineIndex) ? `close it on its line: ${closed.trim()}` : undefined;
      return located(unclosedFlow(char, openLine + 1, fix), lines.at(open.offset));
    }
    return located(unclosedFlow(char, at.line, undefined));
  }

  // An unclosed quote: at the opening quote, not at the end of the file.
  if (/^Missing closing ("|')quote/.test(error.message)) {
    const quote = openAt(text, error.offset).quote;
    if (quote) {
      const openLine = lines.lineOf(quote.offset);
      const closed = `${lines.list[openLine].trimEnd()}${quote.char}`;
      const fix = clears(lines.with(openLine, closed), openLine, openLine) ? `close it on its line: ${closed.trim()}` : undefined;
      return located(unclosedQuote(quote.char, openLine + 1, fix), lines.at(quote.offset));
    }
    const char = error.message.includes('"') ? '"' : "'";
    return located(unclosedQuote(char, at.line, undefined));
  }

  // `key: inner: value`: a value with ": " in it.
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && /compact/.test(error.message)) {
    const valueStart = at.col - 1;
    const content = withoutComment(line);
    const value = content.slice(valueStart).trim();
    if (value !== '' && valueStart > 0) {
      const quoted = `${line.slice(0, valueStart)}${JSON.stringify(value)}${line.slice(content.length)}`;
      const fix = clears(lines.with(lineIndex, quoted), lineIndex, lineIndex)
        ? `quote it if it is text: ${quoted.trim()}; a map goes on the lines below "${content.slice(0, valueStart).trim()}", indented`
        : undefined;
      return located(colonInValue(value, fix));
    }
    return located(colonInValue(undefined, undefined));
  }

  // `master` then an indented line: a key without its colon (or a key with nothing after it).
  if (error.code === 'MULTILINE_IMPLICIT_KEY' || /^Implicit map keys need to be followed by map values/.test(error.message)) {
    const content = withoutComment(line);
    const key = content.slice(at.col - 1).trim();
    const lineBelow = error.code === 'MULTILINE_IMPLICIT_KEY';
    if (key !== '' && !key.includes(':') && !/^["'[{]|^- /.test(key)) {
      const fixed = `${content}:${line.slice(content.length)}`;
      const fix = clears(lines.with(lineIndex, fixed), lineIndex, lineIndex + 1) ? `write "${fixed.trim()}"` : undefined;
      return located(keyWithoutColon(key, fix, lineBelow));
    }
    if (!lineBelow) return located(yamlSyntax(error.code, error.message));
    return located(keyWithoutColon(undefined, undefined));
  }

  // Keys or items that do not line up.
  const mapItems = /^All mapping items must start at the same column/.test(error.message);
  const seqItems =
    /^All sequence items must start at the same column|^Sequence item without - indicator|^A block sequence may not be used as an implicit map key/.test(
      error.message,
    );
  if (mapItems || seqItems) {
    // The map's first key out of line (`user0:` then 5 spaces, then 4): yaml objects to the keys
    // after it, which are right. That first key, moved to their column, is the fix.
    let first = lineIndex - 1;
    while (first >= 0 && !isContent(lines.list[first])) first--;
    let parent = first - 1;
    while (parent >= 0 && !isContent(lines.list[parent])) parent--;
    let next = lineIndex + 1;
    while (next < lines.list.length && !isContent(lines.list[next])) next++;
    if (
      first >= 0 &&
      // Two keys after it agree (one could be the wrong one as well).
      indentOf(lines.list[next] ?? '') === indentOf(line) &&
      parent >= 0 &&
      indentOf(lines.list[first]) > indentOf(line) &&
      indentOf(lines.list[parent]) < indentOf(line) &&
      withoutComment(lines.list[parent]).endsWith(':')
    ) {
      const moved = ' '.repeat(indentOf(line)) + lines.list[first].trimStart();
      if (clears(lines.with(first, moved), first, lineIndex)) {
        return located(
          misaligned(mapItems ? 'map' : 'list', `indent it ${indentOf(line)} spaces, as line ${lineIndex + 1} is: ${moved.trim()}`, true),
          { line: first + 1, col: indentOf(lines.list[first]) + 1 },
        );
      }
    }
    const where = { line: lineIndex + 1, col: indentOf(line) + 1 };
    // The indentations of the lines above, nearest first: the first that clears the error is the fix.
    const tried = new Set<number>([indentOf(line)]);
    for (let i = lineIndex - 1; i >= 0 && tried.size < 8; i--) {
      const above = lines.list[i];
      if (!isContent(above)) continue;
      const indent = indentOf(above);
      if (tried.has(indent)) continue;
      tried.add(indent);
      const moved = ' '.repeat(indent) + line.trimStart();
      if (clears(lines.with(lineIndex, moved), lineIndex, lineIndex)) {
        return located(misaligned(mapItems ? 'map' : 'list', `indent it ${indent} spaces, as line ${i + 1} is: ${moved.trim()}`), where);
      }
    }
    return located(misaligned(mapItems ? 'map' : 'list', undefined), where);
  }

  return located(yamlSyntax(error.code, error.message));
}

/**
 * Tabs in the indentation: one RC012 per line holding one, at the tab, and
 * none of the errors the tab causes below it. The file is read again with
 * spaces in place of the tabs (lined up with the line above, or else each
 * tab two spaces); the errors that read still has are the file's own and
 * are reported as well.
 */
function withoutTabs(lines: Lines, tabLines: readonly number[], reparse: Budgeted, budget: number): YamlProblem[] {
  const aligned = [...lines.list];
  for (const i of tabLines) {
    let above = i - 1;
    while (above >= 0 && !isContent(aligned[above])) above--;
    const prev = above >= 0 ? aligned[above] : '';
    const prevContent = withoutComment(prev);
    // Where the line above's content starts (after any "- " markers), deeper after a "key:".
    const itemIndent = /^[ ]*(?:- +)*/.exec(prevContent)![0].length;
    let indent = prevContent.endsWith(':') ? itemIndent + 2 : itemIndent;
    // A key whose children follow: 2 spaces less than them.
    let below = i + 1;
    while (below < lines.list.length && !isContent(lines.list[below])) below++;
    const next = lines.list[below];
    if (withoutComment(aligned[i]).endsWith(':') && next !== undefined && !tabLines.includes(below) && !next.trim().startsWith('-')) {
      if (indentOf(next) >= 2) indent = indentOf(next) - 2;
    }
    aligned[i] = ' '.repeat(indent) + aligned[i].replace(/^[ \t]+/, '');
  }
  const uniform = lines.list.map((l, i) => (tabLines.includes(i) ? l.replace(/^[ \t]+/, (ws) => ws.replace(/\t/g, '  ')) : l));

  // A file indented with tabs throughout reads as it was meant with each tab two spaces; one tab among
  // spaces, lined up with the line above. Of the two, the reading with fewer errors (none on a tab's line).
  const tabsOnly = !lines.list.some((l, i) => !tabLines.includes(i) && isContent(l) && l.startsWith(' '));
  let fixedLines: string[] | undefined;
  let remaining: RawYamlError[] = [];
  for (const candidate of tabsOnly ? [uniform, aligned] : [aligned, uniform]) {
    const candidateText = candidate.join('\n');
    const errors = reparse(candidateText);
    if (errors === undefined) continue;
    const after = new Lines(candidateText);
    if (errors.some((e) => tabLines.includes(after.lineOf(e.offset)))) continue;
    if (fixedLines === undefined || errors.length < remaining.length) {
      fixedLines = candidate;
      remaining = errors;
    }
  }

  const problems: YamlProblem[] = tabLines.map((i) => {
    const line = lines.list[i];
    const col = line.indexOf('\t') + 1;
    const fixed = fixedLines?.[i];
    const fix = fixed === undefined ? undefined : `indent with spaces: ${indentOf(fixed)} spaces before ${fixed.trim()}`;
    return { line: i + 1, col, message: tabIndent(fix) };
  });
  if (fixedLines) {
    const fixedText = fixedLines.join('\n');
    const after = new Lines(fixedText);
    for (const p of translate(fixedText, remaining, reparse, budget - 1)) {
      // Same lines; a column on a re-indented line moves by the indentation's change.
      const i = p.line - 1;
      const shift = tabLines.includes(i) ? indentOf(after.list[i]) - /^[ \t]*/.exec(lines.list[i])![0].length : 0;
      problems.push({ ...p, col: Math.max(1, p.col - shift) });
    }
  }
  return problems;
}
