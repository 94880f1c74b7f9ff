import { describe, expect, test } from 'vitest'
import { bindingNameFromClass, classNameFromBinding, classNameFromFile, isValidClassName, withoutSourceExtension } from './naming.js'

describe('classNameFromFile', () => {
  test.each([
    ['chat-room', 'ChatRoom'],
    ['chat-room.ts', 'ChatRoom'],
    ['app/objects/chat-room.ts', 'ChatRoom'],
    ['counter', 'Counter'],
    ['rate_limiter', 'RateLimiter'],
    ['userSession', 'UserSession'],
    ['HTTPClient', 'HTTPClient'],
    ['http-client', 'HttpClient'],
    ['v2-counter', 'V2Counter'],
    ['s3-bucket.mts', 'S3Bucket'],
    ['chat--room', 'ChatRoom'],
    ['2fa', '2fa'],
  ])('%s -> %s', (file, className) => {
    expect(classNameFromFile(file)).toBe(className)
  })
})

describe('bindingNameFromClass', () => {
  test.each([
    ['Counter', 'COUNTER'],
    ['ChatRoom', 'CHAT_ROOM'],
    ['UserSession', 'USER_SESSION'],
    ['HTTPClient', 'HTTP_CLIENT'],
    ['MyHTTPClient', 'MY_HTTP_CLIENT'],
    ['APIKeyStore', 'API_KEY_STORE'],
    ['S3Bucket', 'S3_BUCKET'],
    ['V2Counter', 'V2_COUNTER'],
    ['Counter2', 'COUNTER2'],
    ['Base64Encoder', 'BASE64_ENCODER'],
    ['A', 'A'],
  ])('%s -> %s', (className, binding) => {
    expect(bindingNameFromClass(className)).toBe(binding)
  })
})

describe('classNameFromBinding', () => {
  test.each([
    ['COUNTER', 'Counter'],
    ['CHAT_ROOM', 'ChatRoom'],
    ['HTTP_CLIENT', 'HttpClient'],
    ['S3_BUCKET', 'S3Bucket'],
  ])('%s -> %s', (binding, className) => {
    expect(classNameFromBinding(binding)).toBe(className)
  })
})

describe('isValidClassName', () => {
  test.each([
    ['ChatRoom', true],
    ['Counter2', true],
    ['HTTPClient', true],
    ['2fa', false],
    ['chatRoom', false],
    ['Chat_Room', false],
    ['Chat$', false],
    ['', false],
    ['Chätroom', false],
  ])('%s -> %s', (name, valid) => {
    expect(isValidClassName(name)).toBe(valid)
  })
})

test('the names the build derives from a file are valid and give the expected binding', () => {
  for (const [file, binding] of [
    ['chat-room', 'CHAT_ROOM'],
    ['user-session', 'USER_SESSION'],
    ['rate-limiter', 'RATE_LIMITER'],
  ]) {
    const className = classNameFromFile(file)
    expect(isValidClassName(className)).toBe(true)
    expect(bindingNameFromClass(className)).toBe(binding)
  }
})

test('withoutSourceExtension drops a JavaScript or TypeScript extension, and nothing else', () => {
  expect(['app/objects/chat-room.ts', 'app/route.tsx', 'app/x.mjs', 'a.b/c.js'].map(withoutSourceExtension)).toEqual([
    'app/objects/chat-room',
    'app/route',
    'app/x',
    'a.b/c',
  ])
  expect(withoutSourceExtension('app/data.json')).toBe('app/data.json')
})
