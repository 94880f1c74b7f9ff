// Keeps the framework light: what @cloudwerk/core adds to a counter Worker, gzipped, measured
// against the same counter written by hand. Run with --reporter=verbose to see the numbers.
import { gzipSync } from 'node:zlib'
import { expect, test } from 'vitest'
import { bundleWorker } from '../../../test/support/worker'

async function gzippedSize(fixture: string, minify: boolean): Promise<number> {
  return gzipSync(await bundleWorker(new URL(`./fixtures/${fixture}.ts`, import.meta.url).pathname, { minify, sourcemap: false })).length
}

// Budgets leave room to grow a little; the whole counter app (with the object runtime) must stay
// well under 15 KB gzipped.
test.each([
  { minify: true, budget: 4_500 },
  { minify: false, budget: 6_500 },
])('core adds under $budget bytes gzipped to a counter Worker (minify: $minify)', async ({ minify, budget }) => {
  const framework = await gzippedSize('counter-app', minify)
  const byHand = await gzippedSize('counter-by-hand', minify)
  console.log(`counter app ${framework} B gzipped, by hand ${byHand} B, core adds ${framework - byHand} B (minify: ${minify})`)
  expect(framework - byHand).toBeLessThan(budget)
})
