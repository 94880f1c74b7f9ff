import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../util/errors.js'
import { writeIfChanged } from '../util/fs.js'
import type { Exports } from './exports.js'
import type { Migration } from './migrations.js'

export interface DurableObjectBinding {
  name: string
  class_name: string
  script_name?: string
  environment?: string
}

export interface WranglerConfig {
  name?: string
  main?: string
  compatibility_date?: string
  durable_objects?: { bindings?: DurableObjectBinding[] }
  migrations?: Migration[]
  exports?: Exports
  assets?: { directory?: string; binding?: string }
  [key: string]: unknown
}

/** The app's wrangler config: its path, its text (comments and all) and the parsed value. */
export interface ConfigFile {
  path: string
  /** Name relative to the app root, for messages. */
  name: string
  text: string
  value: WranglerConfig
}

/** The date a new app's config gets, and the one Cloudwerk's own helper Workers (dev) run on. */
export const COMPATIBILITY_DATE = '2026-07-01'

/** Where the build writes the Worker: the config's `main`. */
export const OUT_FILE = 'dist/index.js'
/** What `assets.directory` points at: the build's copy of public/ beside client/'s bundles (write-assets.ts). */
export const ASSETS_DIR = 'dist/assets'

export function findConfig(root: string): string | undefined {
  for (const name of ['wrangler.jsonc', 'wrangler.json']) if (existsSync(join(root, name))) return join(root, name)
  if (existsSync(join(root, 'wrangler.toml'))) {
    throw new UserError(
      'wrangler.toml: Cloudwerk keeps Durable Object bindings and migrations in sync by editing the config, and it edits JSON with comments only. Convert wrangler.toml to wrangler.jsonc (same keys, JSON syntax) and delete the .toml file.',
      'wrangler.toml',
    )
  }
  return undefined
}

export function readConfig(root: string): ConfigFile | undefined {
  const path = findConfig(root)
  if (!path) return undefined
  return parseConfig(path, readFileSync(path, 'utf8'))
}

export function parseConfig(path: string, text: string): ConfigFile {
  const name = path.split('/').pop()!
  const errors: ParseError[] = []
  const value = parse(text, errors, { allowTrailingComma: true }) as WranglerConfig
  if (errors.length) {
    const { line, column } = lineAndColumn(text, errors[0].offset)
    throw new UserError(
      `${name}:${line}:${column}: ${printParseErrorCode(errors[0].error)} — the file is not valid JSON with comments. Fix it and build again (nothing was changed).`,
      name,
    )
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${name}: the config must be a JSON object ({ "name": ..., ... }).`, name)
  }
  checkShape(name, value)
  return { path, name, text, value }
}

/**
 * The parts Cloudwerk reads and edits (`migrations`, `durable_objects`), checked for shape: a
 * hand edit such as `"new_sqlite_classes": "Counter"` would otherwise crash the build or, worse,
 * be read letter by letter as the classes C, o, u, ...
 */
function checkShape(name: string, config: WranglerConfig): void {
  const problems: string[] = []
  const text = (path: string, value: unknown) => {
    if (typeof value !== 'string' || !value) problems.push(`${path} must be a non-empty string, but it is ${describeJson(value)}`)
  }
  const list = (item: (path: string, value: unknown) => void, example: string) => (path: string, value: unknown) => {
    if (value === undefined) return
    if (!Array.isArray(value)) problems.push(`${path} must be a list, like ${example}, but it is ${describeJson(value)}`)
    else value.forEach((entry, i) => item(`${path}[${i}]`, entry))
  }
  const object = (fields: Record<string, (path: string, value: unknown) => void>, example: string) => (path: string, value: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${path} must be an object, like ${example}, but it is ${describeJson(value)}`)
      return
    }
    for (const [key, check] of Object.entries(fields)) check(`${path}.${key}`, (value as Record<string, unknown>)[key])
  }
  const optional = (check: (path: string, value: unknown) => void) => (path: string, value: unknown) =>
    value === undefined || check(path, value)
  const classes = list(text, '["Counter"]')
  const rename = object({ from: text, to: text }, '{ "from": "Old", "to": "New" }')
  const transfer = object({ from: text, from_script: text, to: text }, '{ "from": "A", "from_script": "other-worker", "to": "B" }')
  const migration = object(
    {
      tag: text,
      new_classes: classes,
      new_sqlite_classes: classes,
      deleted_classes: classes,
      renamed_classes: list(rename, '[{ "from": "Old", "to": "New" }]'),
      transferred_classes: list(transfer, '[{ "from": "A", "from_script": "other-worker", "to": "B" }]'),
    },
    '{ "tag": "v1", "new_sqlite_classes": ["Counter"] }',
  )
  const binding = object({ name: text, class_name: text, script_name: optional(text) }, '{ "name": "COUNTER", "class_name": "Counter" }')
  list(migration, '[{ "tag": "v1", "new_sqlite_classes": ["Counter"] }]')('migrations', config.migrations)
  const exportEntry = object({ type: text }, '{ "type": "durable-object", "storage": "sqlite" }')
  optional(object({}, '{ "Counter": { "type": "durable-object", "storage": "sqlite" } }'))('exports', config.exports)
  for (const [key, entry] of Object.entries(isRecord(config.exports) ? config.exports : {})) exportEntry(`exports.${key}`, entry)
  optional(object({ bindings: list(binding, '[{ "name": "COUNTER", "class_name": "Counter" }]') }, '{ "bindings": [...] }'))(
    'durable_objects',
    config.durable_objects,
  )
  if (problems.length) {
    throw new UserError(`${name}: ${problems.slice(0, 5).join('; ')}. Fix it by hand and build again (nothing was changed).`, name)
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value)
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  return `the ${typeof value} ${JSON.stringify(value)}`
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: before[before.length - 1].length + 1 }
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } }

/** Sets `path` to `value` in place, keeping the user's comments and layout elsewhere. */
export function setValue(config: ConfigFile, path: (string | number)[], value: unknown): ConfigFile {
  const text = applyEdits(config.text, modify(config.text, path, value, FORMAT))
  return parseConfig(config.path, text)
}

/** Appends one migration entry at the end of `migrations`; earlier entries are untouched. */
export function appendMigration(config: ConfigFile, entry: Migration): ConfigFile {
  const at = config.value.migrations?.length ?? 0
  if (!config.value.migrations) return setValue(config, ['migrations'], [entry])
  const text = applyEdits(config.text, modify(config.text, ['migrations', at], entry, { ...FORMAT, isArrayInsertion: true }))
  return parseConfig(config.path, text)
}

export function saveConfig(config: ConfigFile): boolean {
  return writeIfChanged(config.path, config.text)
}
