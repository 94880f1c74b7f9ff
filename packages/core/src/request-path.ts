// Decoding happens twice, on purpose. The path is decoded for matching, so that a folder named
// `café` matches `/caf%C3%A9`, but with decodeURI, which leaves `%2F` (and the other reserved
// characters) encoded: an encoded slash must stay inside its segment. Each param is then decoded
// with decodeURIComponent. `%25` is kept encoded in the first pass so that `%2541` becomes `%41`,
// never `A`.

function decodeWith(decode: (text: string) => string, text: string): string {
  try {
    return decode(text)
  } catch {
    return text
  }
}

/**
 * The path a route is matched against: the URL's pathname, decoded except for reserved
 * characters and `%25`. Broken percent-encoding is left as written, segment by segment.
 *
 * @example
 * pathToMatch('https://x.dev/caf%C3%A9/a%2Fb') // '/café/a%2Fb'
 */
export function pathToMatch(url: string): string {
  const pathname = new URL(url).pathname
  if (!pathname.includes('%')) return pathname
  const decodeSegment = (segment: string) => decodeURI(segment.replace(/%25/g, '%2525'))
  return pathname
    .split('/')
    .map((segment) => decodeWith(decodeSegment, segment))
    .join('/')
}

/**
 * A matched param as handlers see it: fully decoded, or as written when it is not valid
 * percent-encoding.
 *
 * @example
 * decodeParam('a%2Fb') // 'a/b'
 * decodeParam('%E0%A4%A') // '%E0%A4%A'
 */
export function decodeParam(value: string): string {
  return value.includes('%') ? decodeWith(decodeURIComponent, value) : value
}
