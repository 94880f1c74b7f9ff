// The public types under strict: the fixtures, the type assertions in types/, and the acceptance
// app's objects (when /work/shared is present) must type-check against src/ (test/tsconfig.json).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const run = promisify(execFile)
const project = fileURLToPath(new URL('./tsconfig.json', import.meta.url))
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url))

test('fixtures, type assertions and the acceptance objects type-check under strict', async () => {
  const result = await run(process.execPath, [tsc, '-p', project, '--pretty', 'false']).catch((error) => error)
  expect(result.stdout).toBe('')
  expect(result.code ?? 0).toBe(0)
}, 60_000)
