/**
 * A wildcard value split at its unescaped `*`: the literal pieces in order. `\*` is a literal
 * asterisk and `\\` a literal backslash (EventBridge's escapes); the caller has checked the
 * value (pattern-problems.ts), so any other escape is taken literally here.
 *
 * @example wildcardPieces('dir/*.png') // ['dir/', '.png']
 */
export const wildcardPieces = (glob: string): string[] => {
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

/**
 * Whether a string matches a wildcard value: the first piece begins it, the last ends it, and
 * the pieces between occur in order. Taking each middle piece at its leftmost place is exact
 * for `*`-only patterns, and costs one `indexOf` per piece: no regular expression, so no
 * pattern a tenant writes can make matching backtrack.
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
    const found = value.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
};
