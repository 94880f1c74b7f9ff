import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestHookRequest } from '@cloudwerk/durable-object'
import { launchWithHooks } from '../testing/launch.js'
import { configWorkerOptions } from '../dev/wrangler-options.js'
import { UserError } from '../util/errors.js'
import { OBJECTS_DIR } from '../dev/local-state.js'
import { devWorkerName, objectsFolder, storedObjectsFolder } from '../dev/worker-name.js'

/** What a migration would do to one stored object. */
export type DryRunOutcome = { id: string; ok: true; from: number | null; to: number } | { id: string; ok: false; error: string }

export interface DryRunReport {
  /** The folder of local data the copy was made from, relative to the app. */
  source: string
  outcomes: DryRunOutcome[]
}

/**
 * Runs the `migrate` steps of `className` on a copy of every local object of that class: the app
 * is built with its test hooks and started in workerd on a temporary copy of the object's folder,
 * each object is loaded there (which migrates it, in the copy), and the copy is deleted. The
 * local data itself is never opened by workerd, so nothing is written to it.
 */
export async function dryRunMigration(root: string, className: string): Promise<DryRunReport> {
  const { options } = await configWorkerOptions(root)
  const name = devWorkerName(options)
  // The folder dev opens (the legacy one when there is one), so the dry run reads what dev serves.
  const key = storedObjectsFolder(root, name, className)
  if (!key) {
    throw new UserError(
      `cloudwerk objects migrate --dry-run: no local ${className} objects in ${OBJECTS_DIR}/${objectsFolder(name, className)}. ` +
        'The dry run reads the data `cloudwerk dev` stores; run the app with `cloudwerk dev` and create some objects first.',
    )
  }
  const source = `${OBJECTS_DIR}/${key}`
  const ids = readdirSync(join(root, source))
    .filter((file) => /^[0-9a-f]{64}\.sqlite$/.test(file))
    .map((file) => file.slice(0, -'.sqlite'.length))
    .sort()
  const storage = mkdtempSync(join(tmpdir(), 'cloudwerk-dry-run-'))
  try {
    cpSync(join(root, source), join(storage, 'do', key), { recursive: true })
    const app = await launchWithHooks(root, storage, { objectKeys: { [className]: key } })
    try {
      const binding = app.manifest.objects.find((o) => o.className === className)!.binding
      const outcomes: DryRunOutcome[] = []
      for (const id of ids) {
        const request: TestHookRequest = { op: 'loadVersion' }
        try {
          const loaded = (await app.call({ binding, id, method: '__cloudwerkTest', args: [request] })) as {
            from: number | null
            to: number
          }
          outcomes.push({ id, ok: true, ...loaded })
        } catch (error) {
          outcomes.push({ id, ok: false, error: (error as Error).message })
        }
      }
      return { source, outcomes }
    } finally {
      await app.mf.dispose()
    }
  } finally {
    rmSync(storage, { recursive: true, force: true })
  }
}
