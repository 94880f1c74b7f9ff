/**
 * Declarative `exports` (wrangler 4.107+): the Durable Object lifecycle as a map of class name to
 * state, instead of the `migrations` list. The two are mutually exclusive, so an app that uses
 * `exports` is kept in sync there and never gets `migrations`. Entries that were deployed are not
 * removed: a class that goes away becomes a tombstone (`deleted`, `renamed`).
 */
import { replayMigrations, type LiveClass, type Migration } from './migrations.js'

export interface DurableObjectExport {
  type: 'durable-object'
  /** Missing means "created" (live). */
  state?: 'created' | 'deleted' | 'renamed' | 'transferred' | 'expecting-transfer'
  storage?: 'sqlite' | 'legacy-kv'
  renamed_to?: string
  transferred_to?: string
  transfer_from?: string
}

/** Other export kinds (`"type": "worker"` entrypoints) are the user's; Cloudwerk leaves them alone. */
export type Exports = Record<string, { type?: string; [key: string]: unknown }>

/** What `cloudwerk build` writes for a new object. */
export const NEW_OBJECT_EXPORT: DurableObjectExport = { type: 'durable-object', storage: 'sqlite' }

const LIVE_STATES = new Set([undefined, 'created', 'expecting-transfer'])

/**
 * Whether the app declares its objects in `exports`: the key is there and `migrations` has no
 * entries. (With entries in both, wrangler refuses the config; `checkLifecycle` says so first.)
 */
export function usesExports(config: { exports?: unknown; migrations?: Migration[] }): boolean {
  return config.exports !== undefined && !config.migrations?.length
}

function durableObjectEntries(exports: Exports): Array<[string, DurableObjectExport]> {
  return Object.entries(exports).filter(([, entry]) => entry?.type === 'durable-object') as Array<[string, DurableObjectExport]>
}

/** The classes `exports` keeps alive, and the rules it breaks (same shape as `replayMigrations`). */
export function replayExports(exports: Exports): { live: Map<string, LiveClass>; problems: string[] } {
  const live = new Map<string, LiveClass>()
  const problems: string[] = []
  const entries = durableObjectEntries(exports)
  for (const [name, entry] of entries) {
    if (LIVE_STATES.has(entry.state)) live.set(name, { name, tag: `exports.${name}`, sqlite: entry.storage !== 'legacy-kv' })
  }
  // The target of a rename may itself have been renamed or deleted later (a chain of tombstones).
  for (const [name, entry] of entries) {
    if (entry.state === 'renamed' && exports[entry.renamed_to ?? '']?.type !== 'durable-object') {
      problems.push(
        `exports.${name} is renamed to ${JSON.stringify(entry.renamed_to)}, but exports has no durable-object entry of that name; add "${entry.renamed_to}": { "type": "durable-object", "storage": "sqlite" }`,
      )
    }
  }
  return { live, problems }
}

export type ExportsPlan =
  { ok: true; add: Record<string, DurableObjectExport> } | { ok: false; removed: LiveClass[]; added: string[]; problems: string[] }

/**
 * What to add so that the live classes are exactly `classes`, with the same guards as
 * `planMigrations`: a live class without an object file stops the plan (deleting it loses data),
 * and a key-value class cannot become a Cloudwerk object. A name that is a tombstone cannot be
 * reused: the map has one entry per name, and turning the tombstone back into a live entry would
 * undo the delete or rename the platform already did.
 */
export function planExports(exports: Exports, classes: string[]): ExportsPlan {
  const { live, problems } = replayExports(exports)
  for (const name of classes) {
    const entry = exports[name]
    if (entry && entry.type !== 'durable-object') {
      problems.push(
        `exports.${name} is a ${JSON.stringify(entry.type)} export, but app/objects defines a Durable Object class ${name}; rename one of them`,
      )
    } else if (entry && !LIVE_STATES.has(entry.state as DurableObjectExport['state'])) {
      problems.push(
        `exports.${name} is "${entry.state}" (a tombstone the platform keeps), so the class name ${name} cannot be used again; give the object another name (a new file)`,
      )
    } else if (live.get(name)?.sqlite === false) {
      problems.push(
        `exports.${name} has "storage": "legacy-kv"; Cloudwerk objects need SQLite storage, and an existing class cannot switch. Give the object a new name (a new file) and move its data`,
      )
    }
  }
  const removed = [...live.values()].filter((c) => !classes.includes(c.name))
  const added = classes.filter((name) => !exports[name])
  if (problems.length || removed.length) return { ok: false, removed, added, problems }
  return { ok: true, add: Object.fromEntries(added.map((name) => [name, NEW_OBJECT_EXPORT])) }
}

/** Both lists naming Durable Objects is the config wrangler refuses; say it before wrangler does. */
export function mixedLifecycleProblem(config: { exports?: unknown; migrations?: Migration[] }): string | undefined {
  if (!config.migrations?.length || !config.exports) return undefined
  if (!durableObjectEntries(config.exports as Exports).length) return undefined
  return '"migrations" and "exports" both declare Durable Objects, and wrangler accepts only one of them. Keep "exports" (remove "migrations") only if the exports entries describe every class the migrations created; otherwise remove the durable-object entries from "exports"'
}

/** The live classes from whichever list the app uses. */
export function replayLifecycle(config: { exports?: unknown; migrations?: Migration[] }): {
  live: Map<string, LiveClass>
  problems: string[]
} {
  const mixed = mixedLifecycleProblem(config)
  if (mixed) return { live: new Map(), problems: [mixed] }
  return usesExports(config) ? replayExports(config.exports as Exports) : replayMigrations(config.migrations ?? [])
}
