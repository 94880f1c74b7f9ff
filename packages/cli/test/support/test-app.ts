// One running `startTestApp` per test file, on a copy of a fixture app, as apps use the helper.
import { afterAll, beforeAll } from 'vitest'
import { startTestApp, type TestApp } from '../../src/testing/index.js'
import { copyApp, removeApp } from './dev-process.js'

export interface FixtureApp {
  /** The copy's folder. */
  readonly dir: string
  readonly app: TestApp
  /** `app.objects` untyped: the fixtures have no generated types when the tests are type-checked. */
  objects(): Record<string, { getByName(name: string): any }>
}

/**
 * Copies `packages/cli/test/apps/<name>`, lets `prepare` edit the copy, and starts it before the
 * file's tests; stops and removes it after them.
 */
export function useTestApp(name: string, prepare?: (dir: string) => void): FixtureApp {
  let dir = ''
  let app: TestApp | undefined
  beforeAll(async () => {
    dir = copyApp(name)
    prepare?.(dir)
    app = await startTestApp({ root: dir })
  }, 60_000)
  afterAll(async () => {
    await app?.close()
    removeApp(dir)
  })
  return {
    get dir() {
      return dir
    },
    get app() {
      return app!
    },
    objects: () => app!.objects as unknown as Record<string, { getByName(name: string): any }>,
  }
}
