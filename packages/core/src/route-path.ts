// The route grammar, in one place for the build (folders -> paths, run in Node) and the Worker
// (paths -> router patterns), so the two cannot disagree: no node: imports here.
//
// Route paths: `/` is the root, `:name` one segment, `*name` one or more segments (catch-all),
// `*name?` zero or more (optional catch-all, matching the folder itself too).

/** The exports a route file may have, one per HTTP method it answers, in the order `Allow` lists them. */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

export type Segment =
  { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'catchAll'; name: string; optional: boolean }

// Characters the router would read as syntax rather than text; no folder name produces them.
const UNSAFE_STATIC = /[?#{}|*:]/

// A catch-all takes the rest of the URL, so nothing can follow it: in folders as in paths.
const isLast = (index: number, all: readonly unknown[]) => index === all.length - 1

/**
 * Turns a route file's folder (relative to app/, posix) into the URL path the router matches.
 * One rule per folder convention:
 *
 * | folder          | path segment | matches                                  |
 * |-----------------|--------------|------------------------------------------|
 * | `users`         | `users`      | the literal segment                      |
 * | `[id]`          | `:id`        | one segment, decoded into params.id      |
 * | `[...rest]`     | `*rest`      | one or more segments (catch-all)         |
 * | `[[...rest]]`   | `*rest?`     | zero or more segments, the folder too    |
 * | `(group)`       | (none)       | nothing: groups organise, not route      |
 *
 * Returns an error message (string) in `error` when a folder name breaks a rule.
 *
 * @example routePathFromDir('api/rooms/[id]') // { path: '/api/rooms/:id' }
 */
export function routePathFromDir(dir: string): { path: string; error?: undefined } | { error: string } {
  const segments: string[] = []
  const parts = dir === '' || dir === '.' ? [] : dir.split('/')
  for (const [i, part] of parts.entries()) {
    if (/^\(.+\)$/.test(part)) continue
    const optionalCatchAll = part.match(/^\[\[\.\.\.([A-Za-z_$][\w$]*)\]\]$/)
    const catchAll = part.match(/^\[\.\.\.([A-Za-z_$][\w$]*)\]$/)
    const param = part.match(/^\[([A-Za-z_$][\w$]*)\]$/)
    const name = optionalCatchAll?.[1] ?? catchAll?.[1]
    if (name && !isLast(i, parts)) {
      return { error: `the catch-all folder "${part}" must be the last folder of a route; move route.ts into it` }
    }
    if (optionalCatchAll) segments.push(`*${name}?`)
    else if (catchAll) segments.push(`*${name}`)
    else if (param) segments.push(`:${param[1]}`)
    else if (/[[\]()]/.test(part)) {
      return {
        error: `the folder "${part}" is not a valid route segment; use [name], [...name], [[...name]] or (group), and a name that is a JavaScript identifier`,
      }
    } else segments.push(part)
  }
  return { path: '/' + segments.join('/') }
}

/**
 * Splits a route path into segments, refusing what the router cannot match as written.
 *
 * @example
 * parseRoutePath('/docs/:id/*rest?')
 * // [{ kind: 'static', value: 'docs' }, { kind: 'param', name: 'id' }, { kind: 'catchAll', name: 'rest', optional: true }]
 */
export function parseRoutePath(path: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`Route path "${path}" must start with "/"`)
  const parts = path
    .split('/')
    .slice(1)
    .filter((part, i, all) => part !== '' || i < all.length - 1)
  return parts.map((part, i): Segment => {
    if (part === '') throw new Error(`Route path "${path}" has an empty segment`)
    const name = part.slice(1).replace(/\?$/, '')
    if (part.startsWith(':')) {
      if (!name || name !== part.slice(1)) throw new Error(`Route path "${path}": "${part}" is not a valid param`)
      return { kind: 'param', name }
    }
    if (part.startsWith('*')) {
      if (!name) throw new Error(`Route path "${path}": "${part}" needs a name`)
      if (!isLast(i, parts)) throw new Error(`Route path "${path}": the catch-all "${part}" must be the last segment`)
      return { kind: 'catchAll', name, optional: part.endsWith('?') }
    }
    if (UNSAFE_STATIC.test(part)) throw new Error(`Route path "${path}": "${part}" contains a character routes cannot use`)
    return { kind: 'static', value: part }
  })
}

// Lower weight wins. A path that has ended ranks before an optional catch-all, so `/docs` beats
// `/docs/*rest?` for the URL `/docs`; other overlaps are decided by the first differing segment.
const ENDED = -1
function weightOf(segment: Segment | undefined): number {
  if (!segment) return ENDED
  if (segment.kind === 'static') return 0
  if (segment.kind === 'param') return 1
  return segment.optional ? 3 : 2
}

/**
 * Orders two route paths so that the more specific one comes first: at the first segment where
 * they differ, static beats `:param`, which beats `*catchAll`, which beats `*optional?`.
 * Ties fall back to plain string order, so the result never depends on the input order.
 */
export function compareRoutePaths(a: string, b: string): number {
  const left = parseRoutePath(a)
  const right = parseRoutePath(b)
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = weightOf(left[i]) - weightOf(right[i])
    if (difference !== 0) return difference
  }
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Routes in the order the router must try them (the first match wins); the input is not changed.
 *
 * @example
 * rankRoutes([{ path: '/users/:id' }, { path: '/users/new' }]).map((r) => r.path)
 * // ['/users/new', '/users/:id']
 */
export function rankRoutes<Route extends { path: string }>(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => compareRoutePaths(a.path, b.path))
}

/** The same URLs whatever the param names: `/a/:id` and `/a/:slug` share the shape `/a/:`. */
export function routeShape(segments: readonly Segment[]): string {
  const shapeOf = (s: Segment) => (s.kind === 'static' ? s.value : s.kind === 'param' ? ':' : s.optional ? '*?' : '*')
  return '/' + segments.map(shapeOf).join('/')
}

/**
 * The first two routes, in input order, that answer the same URLs (their paths differ at most in
 * param names, as `/a/:id` and `/a/:slug` do): two files for one URL is an error at build and at
 * start alike. Each caller words the error for its reader.
 */
export function findSameUrlRoutes<Route extends { path: string }>(routes: readonly Route[]): [Route, Route] | undefined {
  const seen = new Map<string, Route>()
  for (const route of routes) {
    const shape = routeShape(parseRoutePath(route.path))
    const first = seen.get(shape)
    if (first) return [first, route]
    seen.set(shape, route)
  }
  return undefined
}

/**
 * The patterns Hono's PatternRouter gets for a route; an optional catch-all needs two, one for the
 * folder itself. Params get positional names (`p0`, `p1`) because the router turns names into
 * regular-expression groups, which accept fewer characters than folder names do.
 *
 * @example
 * routerPatterns(parseRoutePath('/docs/:id/*rest?')) // ['/docs/:p1', '/docs/:p1/:p2{[\\s\\S]+?}']
 */
export function routerPatterns(segments: readonly Segment[]): string[] {
  let prefix = ''
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === 'static') prefix += `/${segment.value}`
    else if (segment.kind === 'param') prefix += `/:p${i}`
    else {
      // Lazy, so that a trailing slash is left to the router instead of ending up in the param;
      // `[\s\S]` because a decoded path may hold a newline, which `.` would not match.
      const rest = `${prefix}/:p${i}{[\\s\\S]+?}`
      return segment.optional ? [prefix || '/', rest] : [rest]
    }
  }
  return [prefix || '/']
}
