import { expect, test } from 'vitest'
import { checkName } from './target.js'

test.each([
  ['my-app', 'my-app'],
  ['/tmp/apps/chat-2', 'chat-2'],
  ['/tmp/a.b_c', 'a.b_c'],
])('%s is a name npm accepts: %s', (target, name) => {
  expect(checkName(target)).toBe(name)
})

// The app is named after its folder, so the fix is a folder name; the reason is npm's own.
test.each([
  ['/tmp/My App', 'name can only contain URL-friendly characters', 'my-app'],
  ['/tmp/.hidden', 'name cannot start with a period', 'hidden'],
  ['/tmp/Ünïcode', 'name can only contain URL-friendly characters', 'n-code'],
  ['/tmp/___', 'name cannot start with an underscore', 'my-app'],
])('%s is refused (%s), suggesting %s', (target, reason, fixed) => {
  expect(() => checkName(target)).toThrow(`(${reason}): the app is named after its folder, so choose a folder name like ${fixed}.`)
})
