import { describe, expect, test } from 'vitest'
import { compareRoutePaths, findSameUrlRoutes, parseRoutePath, rankRoutes, routerPatterns, routeShape } from '../src/route-path.ts'

describe('parseRoutePath', () => {
  test.each([
    ['/', []],
    ['/api', [{ kind: 'static', value: 'api' }]],
    ['/api/', [{ kind: 'static', value: 'api' }]],
    [
      '/api/:id',
      [
        { kind: 'static', value: 'api' },
        { kind: 'param', name: 'id' },
      ],
    ],
    [
      '/docs/*rest',
      [
        { kind: 'static', value: 'docs' },
        { kind: 'catchAll', name: 'rest', optional: false },
      ],
    ],
    [
      '/docs/*rest?',
      [
        { kind: 'static', value: 'docs' },
        { kind: 'catchAll', name: 'rest', optional: true },
      ],
    ],
    ['/*all?', [{ kind: 'catchAll', name: 'all', optional: true }]],
    [
      '/files/$v.2',
      [
        { kind: 'static', value: 'files' },
        { kind: 'static', value: '$v.2' },
      ],
    ],
  ])('%s', (path, segments) => {
    expect(parseRoutePath(path)).toEqual(segments)
  })

  test.each([
    ['api', 'must start with "/"'],
    ['//api', 'empty segment'],
    ['/docs/*rest/edit', 'must be the last segment'],
    ['/docs/*', 'needs a name'],
    ['/a/:', 'not a valid param'],
    ['/a/:id?', 'not a valid param'],
    ['/a|b', 'character routes cannot use'],
    ['/a{2}', 'character routes cannot use'],
  ])('%s is refused (%s)', (path, message) => {
    expect(() => parseRoutePath(path)).toThrow(message)
  })
})

describe('rankRoutes', () => {
  // Each row: paths in the order they must be tried. Shuffled inputs must rank back to it.
  test.each([
    [['/users/new', '/users/:id']],
    [['/users/:id', '/users/*rest']],
    [['/users/*rest', '/users/*rest?']],
    [['/docs', '/docs/*rest?']],
    [['/', '/*all?']],
    [['/a/b/c', '/a/b/:c', '/a/:b/c', '/a/:b/:c', '/a/*rest', '/:a/b/c', '/*all?']],
    [['/api/counter/:id', '/api/counter/:id/info', '/api/*rest']],
    [['/new/:x', '/:id/edit']],
  ])('%j', (expected) => {
    for (const input of shuffles(expected)) {
      expect(rankRoutes(input.map((path) => ({ path }))).map((r) => r.path)).toEqual(expected)
    }
  })

  test('ties between paths that cannot meet are broken by the path text, not the input order', () => {
    expect(rankRoutes([{ path: '/b' }, { path: '/a' }]).map((r) => r.path)).toEqual(['/a', '/b'])
    expect(rankRoutes([{ path: '/a' }, { path: '/b' }]).map((r) => r.path)).toEqual(['/a', '/b'])
  })

  test('does not change its input', () => {
    const input = [{ path: '/:id' }, { path: '/new' }]
    rankRoutes(input)
    expect(input.map((r) => r.path)).toEqual(['/:id', '/new'])
  })
})

test('compareRoutePaths is antisymmetric', () => {
  expect(compareRoutePaths('/a/:id', '/a/b')).toBeGreaterThan(0)
  expect(compareRoutePaths('/a/b', '/a/:id')).toBeLessThan(0)
  expect(compareRoutePaths('/a/:id', '/a/:id')).toBe(0)
})

// Every order for short rows; for long ones (7! = 5040 sorts) the reverse and every rotation.
function shuffles<T>(items: T[]): T[][] {
  if (items.length > 4) return [[...items].reverse(), ...items.map((_, i) => [...items.slice(i), ...items.slice(0, i)])]
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => shuffles([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

describe('routerPatterns', () => {
  test.each([
    ['/', ['/']],
    ['/api/users', ['/api/users']],
    ['/api/users/:id', ['/api/users/:p2']],
    ['/:org/:repo', ['/:p0/:p1']],
    ['/files/*path', ['/files/:p1{[\\s\\S]+?}']],
    ['/docs/*slug?', ['/docs', '/docs/:p1{[\\s\\S]+?}']],
    ['/*all?', ['/', '/:p0{[\\s\\S]+?}']],
  ])('%s', (path, patterns) => {
    expect(routerPatterns(parseRoutePath(path))).toEqual(patterns)
  })
})

describe('routeShape', () => {
  test.each([
    ['/a/:id', '/a/:'],
    ['/a/:slug', '/a/:'],
    ['/a/*rest', '/a/*'],
    ['/a/*rest?', '/a/*?'],
    ['/', '/'],
  ])('%s -> %s', (path, shape) => {
    expect(routeShape(parseRoutePath(path))).toBe(shape)
  })
})

test('findSameUrlRoutes finds the first two routes for one URL, whatever their param names', () => {
  const routes = [{ path: '/a/:id' }, { path: '/b' }, { path: '/a/:slug' }, { path: '/a/:other' }]
  expect(findSameUrlRoutes(routes)).toEqual([routes[0], routes[2]])
  expect(findSameUrlRoutes([{ path: '/a/*x' }, { path: '/a/*x?' }, { path: '/a' }])).toBeUndefined()
})
