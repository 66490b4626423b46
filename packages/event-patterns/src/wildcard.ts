/**
 * A wildcard value split at its unescaped `*`: the literal pieces in order. `\*` is a literal
 * asterisk and `\\` a literal backslash (EventBridge's escapes); the caller has checked the
 * value (pattern-problems.ts), so any other escape is taken literally here.
 *
 * @example wildcardPieces('dir/*.png') // ['dir/', '.png']
 */
const wildcardPieces = (glob: string): string[] => {
  const pieces: string[] = [];
  let piece = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && (glob[i + 1] === '*' || glob[i + 1] === '\\')) {
      piece += glob[i + 1];
      i++;
    } else if (c === '*') {
      pieces.push(piece);
      piece = '';
    } else piece += c;
  }
  pieces.push(piece);
  return pieces;
};

/** Longer pieces than this are searched for by `linearIndexOf`. */
const SHORT_PIECE = 64;

/**
 * `text.indexOf(piece, from)` in time linear in the text whatever the piece (Knuth-Morris-Pratt).
 * V8's own search is faster on ordinary text but, for a long piece that almost matches
 * everywhere (`a…ab` in `aaaa…`), takes time proportional to both lengths: 0.2 s for a
 * 2,000-character piece in 256 KB.
 */
const linearIndexOf = (text: string, piece: string, from: number): number => {
  const m = piece.length;
  const fail = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && piece.charCodeAt(i) !== piece.charCodeAt(k)) k = fail[k - 1] ?? 0;
    if (piece.charCodeAt(i) === piece.charCodeAt(k)) k++;
    fail[i] = k;
  }
  for (let i = from, k = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    while (k > 0 && c !== piece.charCodeAt(k)) k = fail[k - 1] ?? 0;
    if (c === piece.charCodeAt(k)) k++;
    if (k === m) return i - m + 1;
  }
  return -1;
};

const find = (text: string, piece: string, from: number): number =>
  piece.length <= SHORT_PIECE ? text.indexOf(piece, from) : linearIndexOf(text, piece, from);

/**
 * Whether a string matches a wildcard value: the first piece begins it, the last ends it, and
 * the pieces between occur in order. Taking each middle piece at its leftmost place is exact
 * for `*`-only patterns, and costs one search per piece: no regular expression, so no pattern
 * a tenant writes can make matching backtrack.
 *
 * @example wildcardMatches('Simple*Service', 'SimpleQueueService') // true
 */
export const wildcardMatches = (glob: string, value: string): boolean => {
  const pieces = wildcardPieces(glob);
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? '';
    const found = find(value, piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
};
