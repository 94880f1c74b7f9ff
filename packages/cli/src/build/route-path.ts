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
    if (name && i !== parts.length - 1) {
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

/** Two paths that match the same URLs whatever their param names: `/a/:id` and `/a/:slug`. */
export function routeShape(path: string): string {
  return path.replace(/:[^/]+/g, ':').replace(/\*[^/?]+(\??)/g, '*$1')
}
