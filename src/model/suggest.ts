/**
 * Did-you-mean suggestions. A leaf module on purpose: the CLI's argument
 * parser needs it on every run, `help` included, and must not pull in the
 * schema (zod) or the IAM catalog through src/model/messages.ts.
 */

/** Optimal-string-alignment (Damerau-Levenshtein) distance: a swap of two neighbours costs 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The closest candidate to a misspelt input, or undefined when none is close:
 * a case-insensitive match first, else the smallest edit distance (ignoring
 * case) if it is at most max(2, len/3) and smaller than both lengths (so
 * "x" never "suggests" "s3"). Ties go to the alphabetically first.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  const sorted = [...new Set(candidates)].filter((c) => c !== input).sort();
  const sameCase = sorted.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of sorted) {
    if (Math.abs(candidate.length - input.length) > limit) continue; // cannot be close: skip the work
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance && distance <= limit && distance < input.length && distance < candidate.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean "operations"?`, or undefined when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closest(input, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}
