/**
 * Durable Object migrations, safe by construction. Cloudflare applies the `migrations` list in
 * order, each tag once, so an entry that was deployed must never change: Cloudwerk only appends.
 */
export interface Migration {
  tag: string
  new_classes?: string[]
  new_sqlite_classes?: string[]
  renamed_classes?: Array<{ from: string; to: string }>
  deleted_classes?: string[]
  transferred_classes?: Array<{ from: string; from_script: string; to: string }>
}

export interface LiveClass {
  name: string
  /** Tag of the entry that created (or last renamed) it. */
  tag: string
  sqlite: boolean
}

/** Replays the history; returns the classes alive at its end, or the first rule it breaks. */
export function replayMigrations(history: Migration[]): { live: Map<string, LiveClass>; problems: string[] } {
  const live = new Map<string, LiveClass>()
  const tags = new Set<string>()
  const problems: string[] = []
  for (const [i, entry] of history.entries()) {
    const where = `migrations[${i}]${entry?.tag ? ` (tag "${entry.tag}")` : ''}`
    if (!entry || typeof entry.tag !== 'string' || !entry.tag) {
      problems.push(`${where} has no "tag"; every migration needs a unique tag such as "v${i + 1}"`)
      continue
    }
    if (tags.has(entry.tag)) problems.push(`${where}: the tag "${entry.tag}" is used twice; tags must be unique`)
    tags.add(entry.tag)
    const create = (names: string[] | undefined, sqlite: boolean) => {
      for (const name of names ?? []) {
        if (live.has(name)) problems.push(`${where} creates ${name}, which already exists (created in "${live.get(name)!.tag}")`)
        live.set(name, { name, tag: entry.tag, sqlite })
      }
    }
    create(entry.new_classes, false)
    create(entry.new_sqlite_classes, true)
    for (const rename of entry.renamed_classes ?? []) {
      const from = live.get(rename.from)
      if (!from) problems.push(`${where} renames ${rename.from}, which does not exist at that point`)
      else if (live.has(rename.to)) problems.push(`${where} renames ${rename.from} to ${rename.to}, which already exists`)
      else {
        live.delete(rename.from)
        live.set(rename.to, { ...from, name: rename.to, tag: entry.tag })
      }
    }
    for (const name of entry.deleted_classes ?? []) {
      if (!live.delete(name)) problems.push(`${where} deletes ${name}, which does not exist at that point`)
    }
    for (const transfer of entry.transferred_classes ?? []) {
      live.set(transfer.to, { name: transfer.to, tag: entry.tag, sqlite: true })
    }
  }
  return { live, problems }
}

/** The next free tag: `v<N+1>` past the highest `vN` (and past the entry count). */
export function nextTag(history: Migration[]): string {
  let n = history.length
  for (const entry of history) {
    const m = /^v(\d+)$/.exec(entry?.tag ?? '')
    if (m) n = Math.max(n, Number(m[1]))
  }
  return `v${n + 1}`
}

export type MigrationPlan = { ok: true; append: Migration[] } | { ok: false; removed: LiveClass[]; added: string[]; problems: string[] }

/**
 * What to append so that the live classes are exactly `classes`: a new entry with
 * `new_sqlite_classes` for classes that are new. Classes that are live but have no object file
 * any more are not deleted here (that loses data): the plan fails and the caller explains the
 * ways out.
 */
export function planMigrations(history: Migration[], classes: string[]): MigrationPlan {
  const { live, problems } = replayMigrations(history)
  for (const name of classes) {
    const cls = live.get(name)
    if (cls && !cls.sqlite) {
      problems.push(
        `${name} was created with "new_classes" (key-value storage) in "${cls.tag}"; Cloudwerk objects need SQLite storage, and an existing class cannot switch. Give the object a new name (a new file) and move its data`,
      )
    }
  }
  const removed = [...live.values()].filter((c) => !classes.includes(c.name))
  const added = classes.filter((name) => !live.has(name))
  if (problems.length || removed.length) return { ok: false, removed, added, problems }
  return { ok: true, append: added.length ? [{ tag: nextTag(history), new_sqlite_classes: added }] : [] }
}
