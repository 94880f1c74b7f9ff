import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { GENERATED_DIR, generatedPath } from '../src/pipeline/generated-paths.js'
import { scanApp } from '../src/pipeline/scan.js'
import { writeTypes } from '../src/pipeline/write-types.js'

const app = join(import.meta.dirname, 'apps', 'typed')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

// The route in the fixture uses every stub both ways: calls that must type-check, and
// `@ts-expect-error` lines (a misspelt method, a wrong argument) that fail tsc if they stop erring.
test('generated stub types make tsc check object calls, both ways', { timeout: 60_000 }, async () => {
  rmSync(join(app, GENERATED_DIR), { recursive: true, force: true })
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

// Browser code (client/, DOM types) against `.cloudwerk/client-types.d.ts`: connect<'Room'> sees the
// synced keys and the browser-callable methods only.
test('generated client types make tsc check connect<Name>() in browser code, both ways', { timeout: 60_000 }, async () => {
  rmSync(join(app, GENERATED_DIR), { recursive: true, force: true })
  await writeTypes(scanApp(app))
  const types = readFileSync(generatedPath(app, 'clientTypes'), 'utf8')
  expect(types).toContain(`declare module '@cloudwerk/client'`)
  expect(types).toContain('"send"(text: string): Promise<number>')
  expect(types).not.toContain('moderatorNotes')
  expect(types).not.toContain('addNote')
  const result = spawnSync(process.execPath, [tsc, '-p', join(app, 'client', 'tsconfig.json')], { encoding: 'utf8' })
  expect(result.stdout + result.stderr).toBe('')
  expect(result.status).toBe(0)
})
