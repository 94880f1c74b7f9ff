import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '../util/errors.js'
import { writeIfChanged } from '../util/fs.js'
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

export const COMPATIBILITY_DATE = '2026-07-01'

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
  return { path, name, text, value }
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
