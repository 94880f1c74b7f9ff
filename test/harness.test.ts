import { expect, test } from 'vitest'
import { startWorker } from './support/worker'

test('the harness runs a Worker in workerd', async () => {
  const worker = await startWorker({ entry: new URL('./fixtures/hello.ts', import.meta.url).pathname })
  try {
    expect(await (await worker.fetch('/')).text()).toBe('hello')
  } finally {
    await worker.dispose()
  }
})
