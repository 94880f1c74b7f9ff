// Runs tsc over test/types so CI proves the public types: the fixtures must type-check (with every
// `@ts-expect-error` needed), and a misspelt RPC method must fail naming the typo.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url))
const project = (path: string) => fileURLToPath(new URL(path, import.meta.url))

async function typecheck(tsconfig: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'])
    return { code: 0, output: stdout }
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string }
    return { code: failure.code, output: failure.stdout + failure.stderr }
  }
}

// Two tsc runs at once: on a busy machine each can take more than the suite's 30 s per test.
const TSC_TIMEOUT = 60_000

test.concurrent('the public types accept correct code and reject the mistakes marked in test/types', { timeout: TSC_TIMEOUT }, async () => {
  const { code, output } = await typecheck(project('./types/tsconfig.json'))
  expect(output).toBe('')
  expect(code).toBe(0)
})

test.concurrent('a misspelt RPC method fails the typecheck with its name', { timeout: TSC_TIMEOUT }, async () => {
  const { code, output } = await typecheck(project('./types/typo/tsconfig.json'))
  expect(code).not.toBe(0)
  expect(output).toContain("typo.ts(5,14): error TS2551: Property 'incrementt' does not exist")
  expect(output).toContain("Did you mean 'increment'?")
})
