import { LIMITS } from '../limits';
import { DURATION_PATTERN } from './schema';

/** `15m` -> 900. The schema has already checked the pattern; anything else is a bug. */
export function durationSeconds(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/**
 * The one-unit duration a near miss means: `1h30m` -> `90m`, `1.5h` ->
 * `90m`, `90 min` -> `90m`, a bare number (seconds, as AWS's
 * DurationSeconds) `3600` -> `1h`. The largest unit that divides evenly, so
 * the suggestion is itself valid. Undefined when nothing sensible is meant.
 */
export function suggestDuration(value: unknown): string | undefined {
  let seconds: number | undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) seconds = value;
  else if (typeof value === 'string') {
    const text = value.trim().toLowerCase().replace(/\s+/g, '');
    const parts = /^(?:(\d+(?:\.\d+)?)h(?:ours?|rs?)?)?(?:(\d+(?:\.\d+)?)m(?:in(?:utes?|s)?)?)?(?:(\d+)s(?:ec(?:onds?|s)?)?)?$/.exec(text);
    if (parts && (parts[1] || parts[2] || parts[3]))
      seconds = Number(parts[1] ?? 0) * 3600 + Number(parts[2] ?? 0) * 60 + Number(parts[3] ?? 0);
    else if (/^\d+$/.test(text)) seconds = Number(text);
  }
  // Outside every duration field's bounds, the suggestion would be refused in turn: none.
  const min = Math.min(LIMITS.mfaMaxAgeSeconds.min, LIMITS.sessionDurationSeconds.min);
  const max = Math.max(LIMITS.mfaMaxAgeSeconds.max, LIMITS.sessionDurationSeconds.max);
  if (seconds === undefined || !Number.isInteger(seconds) || seconds < min || seconds > max) return undefined;
  const text = seconds % 3600 === 0 ? `${seconds / 3600}h` : seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
  return text === value ? undefined : text;
}
