import { describe, expect, test } from 'vitest'
import { compareRoutes, findSameUrlRoutes, formatRoutePath, parseRouteDir, rankRoutes, routerPatterns, routeShape } from './route-path.js'

// Rows name routes by folder, as apps do; this is what the build hands the router.
function segments(dir: string) {
  const parsed = parseRouteDir(dir)
  if (parsed.error !== undefined) throw new Error(parsed.error)
  return parsed.segments
}

describe('parseRouteDir', () => {
  test.each([
    ['', []],
    ['api', [{ kind: 'static', value: 'api' }]],
    [
      'api/[id]',
      [
        { kind: 'static', value: 'api' },
        { kind: 'param', name: 'id' },
      ],
    ],
    [
      'docs/[...rest]',
      [
        { kind: 'static', value: 'docs' },
        { kind: 'catchAll', name: 'rest', optional: false },
      ],
    ],
    [
      'docs/[[...rest]]',
      [
        { kind: 'static', value: 'docs' },
        { kind: 'catchAll', name: 'rest', optional: true },
      ],
    ],
    ['[[...all]]', [{ kind: 'catchAll', name: 'all', optional: true }]],
    [
      'files/$v.2',
      [
        { kind: 'static', value: 'files' },
        { kind: 'static', value: '$v.2' },
      ],
    ],
    ['(shop)/(a)/cart', [{ kind: 'static', value: 'cart' }]],
  ])('%j', (dir, expected) => {
    expect(parseRouteDir(dir)).toEqual({ segments: expected })
  })

  test.each([
    ['docs/[...rest]/more', 'the catch-all folder "[...rest]" must be the last folder of a route'],
    ['docs/[[...rest]]/edit', 'must be the last folder'],
    ['a/[id', 'is not a valid route segment'],
    ['a/[1x]', 'is not a valid route segment'],
    ['a/(x', 'is not a valid route segment'],
    ['a/[id?]', 'is not a valid route segment'],
    ['a|b', 'contains a character routes cannot use'],
    ['a{2}', 'contains a character routes cannot use'],
    [':id', 'contains a character routes cannot use'],
  ])('%s is refused (%s)', (dir, message) => {
    expect(parseRouteDir(dir).error).toContain(message)
  })
})

describe('formatRoutePath', () => {
  test.each([
    ['', '/'],
    ['api/rooms/[id]', '/api/rooms/:id'],
    ['docs/[...slug]', '/docs/*slug'],
    ['files/[[...path]]', '/files/*path?'],
    ['(marketing)/about', '/about'],
    ['(a)/(b)/x/[id]', '/x/:id'],
    ['a/[id]/b/[other]', '/a/:id/b/:other'],
  ])('%s -> %s', (dir, path) => {
    expect(formatRoutePath(segments(dir))).toBe(path)
  })
})

describe('rankRoutes', () => {
  // Each row: folders in the order their routes must be tried. Shuffled inputs must rank back to it.
  test.each([
    [['users/new', 'users/[id]']],
    [['users/[id]', 'users/[...rest]']],
    [['users/[...rest]', 'users/[[...rest]]']],
    [['docs', 'docs/[[...rest]]']],
    [['', '[[...all]]']],
    [['a/b/c', 'a/b/[c]', 'a/[b]/c', 'a/[b]/[c]', 'a/[...rest]', '[a]/b/c', '[[...all]]']],
    [['api/counter/[id]', 'api/counter/[id]/info', 'api/[...rest]']],
    [['new/[x]', '[id]/edit']],
  ])('%j', (expected) => {
    for (const input of shuffles(expected)) {
      expect(rankRoutes(input.map((dir) => ({ dir, segments: segments(dir) }))).map((r) => r.dir)).toEqual(expected)
    }
  })

  test('ties between paths that cannot meet are broken by the path text, not the input order', () => {
    const [a, b] = [{ segments: segments('a') }, { segments: segments('b') }]
    expect(rankRoutes([b, a])).toEqual([a, b])
    expect(rankRoutes([a, b])).toEqual([a, b])
  })

  test('does not change its input', () => {
    const input = [{ segments: segments('[id]') }, { segments: segments('new') }]
    const copy = [...input]
    rankRoutes(input)
    expect(input).toEqual(copy)
  })
})

test('compareRoutes is antisymmetric', () => {
  expect(compareRoutes(segments('a/[id]'), segments('a/b'))).toBeGreaterThan(0)
  expect(compareRoutes(segments('a/b'), segments('a/[id]'))).toBeLessThan(0)
  expect(compareRoutes(segments('a/[id]'), segments('a/[id]'))).toBe(0)
})

// Every order for short rows; for long ones (7! = 5040 sorts) the reverse and every rotation.
function shuffles<T>(items: T[]): T[][] {
  if (items.length > 4) return [[...items].reverse(), ...items.map((_, i) => [...items.slice(i), ...items.slice(0, i)])]
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => shuffles([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

describe('routerPatterns', () => {
  test.each([
    ['', ['/']],
    ['api/users', ['/api/users']],
    ['api/users/[id]', ['/api/users/:p2']],
    ['[org]/[repo]', ['/:p0/:p1']],
    ['files/[...path]', ['/files/:p1{[\\s\\S]+?}']],
    ['docs/[[...slug]]', ['/docs', '/docs/:p1{[\\s\\S]+?}']],
    ['[[...all]]', ['/', '/:p0{[\\s\\S]+?}']],
  ])('%s', (dir, patterns) => {
    expect(routerPatterns(segments(dir))).toEqual(patterns)
  })
})

describe('routeShape', () => {
  test.each([
    ['a/[id]', '/a/:'],
    ['a/[slug]', '/a/:'],
    ['a/[...rest]', '/a/*'],
    ['a/[[...rest]]', '/a/*?'],
    ['', '/'],
  ])('%s -> %s', (dir, shape) => {
    expect(routeShape(segments(dir))).toBe(shape)
  })
})

test('findSameUrlRoutes finds the first two routes for one URL, whatever their param names', () => {
  const routes = ['a/[id]', 'b', '(group)/a/[slug]', 'a/[other]'].map((dir) => ({ segments: segments(dir) }))
  expect(findSameUrlRoutes(routes)).toEqual([routes[0], routes[2]])
  expect(findSameUrlRoutes(['a/[...x]', 'a/[[...x]]', 'a'].map((dir) => ({ segments: segments(dir) })))).toBeUndefined()
})
