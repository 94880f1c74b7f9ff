import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { scanApp } from '../src/build/scan.js'
import { writeTypes } from '../src/build/write-types.js'

const app = join(import.meta.dirname, 'apps', 'typed')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

// The route in the fixture uses every stub both ways: calls that must type-check, and
// `@ts-expect-error` lines (a misspelt method, a wrong argument) that fail tsc if they stop erring.
test('generated stub types make tsc check object calls, both ways', { timeout: 60_000 }, async () => {
  rmSync(join(app, '.cloudwerk'), { recursive: true, force: true })
  const { file, cached } = await writeTypes(scanApp(app))
  expect(cached).toBe(false)
  const types = readFileSync(file, 'utf8')
  expect(types).toContain('// generated from app/objects by cloudwerk - do not edit')
  expect(types).toContain('"increment"(amount?: number): Promise<number>')
  // A local interface is written out; an exported one is imported.
  expect(types).toContain('"addItem"(productId: string, quantity: number): Promise<{ "productId": string; "quantity": number }[]>')
  expect(types).toContain('Promise<import("../app/objects/cart").Receipt>')

  const result = spawnSync(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], { encoding: 'utf8' })
  expect(result.stdout + result.stderr).toBe('')
  expect(result.status).toBe(0)

  expect((await writeTypes(scanApp(app))).cached).toBe(true)
})
