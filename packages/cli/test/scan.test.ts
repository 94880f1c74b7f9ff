import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { bindingNameFromClass, classNameFromFile, fileFromClassName } from '../src/pipeline/object-name.js'
import { exportedMethods, scanApp } from '../src/pipeline/scan.js'

const sample = (name: string) => join(import.meta.dirname, 'samples', name)

describe('object names', () => {
  test.each([
    ['counter', 'Counter', 'COUNTER'],
    ['chat-room', 'ChatRoom', 'CHAT_ROOM'],
    ['rate_limiter', 'RateLimiter', 'RATE_LIMITER'],
    ['http-client2', 'HttpClient2', 'HTTP_CLIENT2'],
  ])('%s -> %s, %s', (file, className, binding) => {
    expect(classNameFromFile(file)).toBe(className)
    expect(bindingNameFromClass(className)).toBe(binding)
    expect(fileFromClassName(className)).toBe(file.replace(/_/g, '-'))
  })
  test('runs of capitals stay together', () => {
    expect(bindingNameFromClass('HTTPClient')).toBe('HTTP_CLIENT')
  })
})

test('exportedMethods reads declarations and export lists', () => {
  expect(exportedMethods('export async function GET() {}\nexport const POST = 1\n// export function PUT')).toEqual(['GET', 'POST'])
  expect(exportedMethods('export { a as GET, b as DELETE, helper }')).toEqual(['GET', 'DELETE'])
})

test('scanApp builds the manifest of an app tree', () => {
  const manifest = scanApp(sample('app-tree'))
  expect(manifest.objects).toEqual([
    { file: 'app/objects/chat-room.ts', className: 'ChatRoom', binding: 'CHAT_ROOM' },
    { file: 'app/objects/counter.ts', className: 'Counter', binding: 'COUNTER' },
  ])
  const byPath = Object.fromEntries(manifest.routes.map((r) => [r.path, r]))
  expect(Object.keys(byPath).sort()).toEqual(['/', '/about', '/api/rooms', '/api/rooms/:id', '/docs/*slug', '/files/*path?'])
  expect(byPath['/api/rooms/:id'].middleware).toEqual(['app/middleware.ts', 'app/api/middleware.ts'])
  expect(byPath['/about'].middleware).toEqual(['app/middleware.ts', 'app/(marketing)/middleware.ts'])
  expect(byPath['/'].middleware).toEqual(['app/middleware.ts'])
  expect(byPath['/api/rooms'].methods).toEqual(['GET', 'DELETE'])
  expect(byPath['/'].methods).toEqual(['GET', 'POST'])
})

describe('scanApp errors name the file and the fix', () => {
  test.each([
    ['object-twins', /app\/objects\/chat-room\.ts and app\/objects\/chat_room\.ts both become the class ChatRoom/],
    ['object-bad-name', /app\/objects\/1st\.ts: .*not name a valid class/],
    ['route-conflict', /app\/\(shop\)\/cart\/route\.ts and app\/cart\/route\.ts both answer \/cart/],
    ['route-param-conflict', /app\/users\/\[id\]\/route\.ts and app\/users\/\[slug\]\/route\.ts both answer/],
    ['route-bad-folder', /app\/docs\/\[\.\.\.rest\]\/more\/route\.ts: the catch-all folder/],
    ['route-unsafe-folder', /app\/users\/\{id\}\/route\.ts: the folder "\{id\}" contains a character routes cannot use/],
    ['does-not-exist', /No app\/ folder/],
  ])('%s', (name, message) => {
    expect(() => scanApp(sample(name))).toThrow(message)
  })
})
