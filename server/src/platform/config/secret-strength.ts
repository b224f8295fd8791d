/**
 * How guessable a configured secret is: an estimate of its entropy in bits,
 * used to refuse placeholder secrets (`changeme`, `aaaa…`, `abcabc…`) in
 * production.
 *
 * The estimate is the size of the alphabet the value draws from (lower case
 * 26, upper case 26, digits 10, other ASCII 33, anything else 100) to the
 * power of the number of symbols left once the patterns a guesser tries
 * first are collapsed: a run that repeats something earlier in the value
 * (which catches one character repeated and a short pattern repeated) and a
 * run of 3 or more characters in order (`0123`, `abcd`, `cba`) each
 * count as one symbol. A random value keeps about its full length, so
 * `openssl rand -base64 32` scores about 290 bits and `openssl rand -hex 16`
 * about 165; words are not recognised, so a long phrase of words may pass
 * although it is weaker than its estimate.
 *
 * zxcvbn (`@zxcvbn-ts/core`) does not fit this job: it prices each random
 * character at 10 possibilities (a random 128-bit base64 key scores about
 * 106 bits), and with its dictionaries it took seconds and 130 MB of heap
 * for a few dozen long values.
 */

/** Bits a secret must carry in production. */
export const MIN_SECRET_BITS = 128;

/** Only this many characters are examined: past it any value that is not a pattern clears the bar. */
const MAX_EXAMINED = 256;

/** What {@link secretStrength} found. */
export interface SecretStrength {
  /** The estimate, rounded down to whole bits. */
  readonly bits: number;
  /** The pattern that made it weak, when one did. */
  readonly pattern: 'one character repeated' | 'a short pattern repeated' | undefined;
}

/**
 * Estimates a secret's entropy (see the module comment for how).
 *
 * @example secretStrength('changeme').bits // 37
 * @example secretStrength('abcabcabcabcabcabcabcabcabcabcab').pattern // 'a short pattern repeated'
 */
export function secretStrength(value: string): SecretStrength {
  const chars = Array.from(value).slice(0, MAX_EXAMINED);
  const perSymbol = Math.log2(alphabetSize(chars));
  const bits = Math.floor(symbolCount(chars) * perSymbol);
  return { bits, pattern: patternOf(chars) };
}

function alphabetSize(chars: readonly string[]): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let ascii = false;
  let other = false;
  for (const ch of chars) {
    if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else if (ch.charCodeAt(0) < 128) ascii = true;
    else other = true;
  }
  const size =
    (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (ascii ? 33 : 0) + (other ? 100 : 0);
  return Math.max(size, 2);
}

/** Symbols left after collapsing repeats of earlier text and steady runs (greedy, left to right). */
function symbolCount(chars: readonly string[]): number {
  let symbols = 0;
  let i = 0;
  while (i < chars.length) {
    const step = Math.max(longestEarlierMatch(chars, i), steadyRun(chars, i), 1);
    symbols += 1;
    i += step;
  }
  return symbols;
}

/** Length of the longest run at `i` that copies text starting earlier (overlap allowed), if 3 or more. */
function longestEarlierMatch(chars: readonly string[], i: number): number {
  let best = 0;
  for (let j = 0; j < i; j++) {
    let k = 0;
    while (i + k < chars.length && chars[j + k] === chars[i + k]) k++;
    if (k > best) best = k;
  }
  return best >= 3 ? best : 0;
}

/** Length of the run at `i` whose code points go up or down one at a time (`abc`, `321`), if 3 or more. */
function steadyRun(chars: readonly string[], i: number): number {
  const code = (k: number) => chars[k]!.codePointAt(0)!;
  if (i + 2 >= chars.length) return 0;
  const step = code(i + 1) - code(i);
  if (step !== 1 && step !== -1) return 0;
  let k = i + 1;
  while (k + 1 < chars.length && code(k + 1) - code(k) === step) k++;
  const length = k - i + 1;
  return length >= 3 ? length : 0;
}

/** Whether the whole value is one character, or one short unit, repeated. */
function patternOf(chars: readonly string[]): SecretStrength['pattern'] {
  if (chars.length < 2) return undefined;
  if (chars.every((c) => c === chars[0])) return 'one character repeated';
  // The shortest unit the value repeats (the last repetition may be cut short).
  for (let unit = 2; unit <= Math.min(16, chars.length / 2); unit++) {
    if (chars.every((c, k) => c === chars[k % unit])) return 'a short pattern repeated';
  }
  return undefined;
}
