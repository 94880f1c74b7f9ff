// The route grammar, in one place: the build parses folders into segments (in Node) and the
// manifest and generated entry carry those segments as data, which the Worker ranks and turns
// into router patterns without parsing anything again. No node: imports here.
//
// Paths, as `cloudwerk routes` and messages print them: `/` is the root, `:name` one segment,
// `*name` one or more segments (catch-all), `*name?` zero or more (optional catch-all, matching
// the folder itself too).

/** The exports a route file may have, one per HTTP method it answers, in the order `Allow` lists them. */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

export type Segment =
  { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'catchAll'; name: string; optional: boolean }

// Characters the router would read as syntax rather than text (a folder `:id` would become a param).
const UNSAFE_STATIC = /[?#{}|*:]/

/**
 * Parses a route file's folder (relative to app/, posix) into the segments the router matches.
 * One rule per folder convention:
 *
 * | folder          | segment                                  | matches                                  |
 * |-----------------|------------------------------------------|------------------------------------------|
 * | `users`         | `{ kind: 'static', value: 'users' }`     | the literal segment                      |
 * | `[id]`          | `{ kind: 'param', name: 'id' }`          | one segment, decoded into params.id      |
 * | `[...rest]`     | `{ kind: 'catchAll', optional: false }`  | one or more segments (catch-all)         |
 * | `[[...rest]]`   | `{ kind: 'catchAll', optional: true }`   | zero or more segments, the folder too    |
 * | `(group)`       | (none)                                   | nothing: groups organise, not route      |
 *
 * Returns an error message (string) in `error` when a folder name breaks a rule.
 *
 * @example
 * parseRouteDir('api/rooms/[id]')
 * // { segments: [{ kind: 'static', value: 'api' }, { kind: 'static', value: 'rooms' }, { kind: 'param', name: 'id' }] }
 */
export function parseRouteDir(dir: string): { segments: Segment[]; error?: undefined } | { error: string } {
  const segments: Segment[] = []
  const parts = dir === '' || dir === '.' ? [] : dir.split('/')
  for (const [i, part] of parts.entries()) {
    if (/^\(.+\)$/.test(part)) continue
    const optionalCatchAll = part.match(/^\[\[\.\.\.([A-Za-z_$][\w$]*)\]\]$/)
    const catchAll = part.match(/^\[\.\.\.([A-Za-z_$][\w$]*)\]$/)
    const param = part.match(/^\[([A-Za-z_$][\w$]*)\]$/)
    const name = optionalCatchAll?.[1] ?? catchAll?.[1]
    // A catch-all takes the rest of the URL, so nothing can follow it.
    if (name && i !== parts.length - 1) {
      return { error: `the catch-all folder "${part}" must be the last folder of a route; move route.ts into it` }
    }
    if (name) segments.push({ kind: 'catchAll', name, optional: Boolean(optionalCatchAll) })
    else if (param) segments.push({ kind: 'param', name: param[1] })
    else if (/[[\]()]/.test(part)) {
      return {
        error: `the folder "${part}" is not a valid route segment; use [name], [...name], [[...name]] or (group), and a name that is a JavaScript identifier`,
      }
    } else if (UNSAFE_STATIC.test(part)) {
      return { error: `the folder "${part}" contains a character routes cannot use (? # { } | * :); rename the folder` }
    } else segments.push({ kind: 'static', value: part })
  }
  return { segments }
}

/**
 * The path a route answers, as `cloudwerk routes` and messages print it.
 *
 * @example formatRoutePath(parseRouteDir('docs/[id]/[[...rest]]').segments) // '/docs/:id/*rest?'
 */
export function formatRoutePath(segments: readonly Segment[]): string {
  const text = (s: Segment) => (s.kind === 'static' ? s.value : s.kind === 'param' ? `:${s.name}` : `*${s.name}${s.optional ? '?' : ''}`)
  return '/' + segments.map(text).join('/')
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
 * Orders two routes so that the more specific one comes first: at the first segment where they
 * differ, static beats `:param`, which beats `*catchAll`, which beats `*optional?`.
 * Ties fall back to plain string order of their paths, so the result never depends on the input order.
 */
export function compareRoutes(left: readonly Segment[], right: readonly Segment[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = weightOf(left[i]) - weightOf(right[i])
    if (difference !== 0) return difference
  }
  const [a, b] = [formatRoutePath(left), formatRoutePath(right)]
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Routes in the order the router must try them (the first match wins); the input is not changed.
 *
 * @example
 * rankRoutes([{ segments: parseRouteDir('users/[id]').segments }, { segments: parseRouteDir('users/new').segments }])
 * // users/new first, then users/[id]
 */
export function rankRoutes<Route extends { segments: readonly Segment[] }>(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => compareRoutes(a.segments, b.segments))
}

/** The same URLs whatever the param names: `/a/:id` and `/a/:slug` share the shape `/a/:`. */
export function routeShape(segments: readonly Segment[]): string {
  const shapeOf = (s: Segment) => (s.kind === 'static' ? s.value : s.kind === 'param' ? ':' : s.optional ? '*?' : '*')
  return '/' + segments.map(shapeOf).join('/')
}

/**
 * The first two routes, in input order, that answer the same URLs (they differ at most in param
 * names, as `/a/:id` and `/a/:slug` do). The build refuses them, naming both files.
 */
export function findSameUrlRoutes<Route extends { segments: readonly Segment[] }>(routes: readonly Route[]): [Route, Route] | undefined {
  const seen = new Map<string, Route>()
  for (const route of routes) {
    const shape = routeShape(route.segments)
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
 * routerPatterns(parseRouteDir('docs/[id]/[[...rest]]').segments) // ['/docs/:p1', '/docs/:p1/:p2{[\\s\\S]+?}']
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
