import { join } from 'node:path'

/** Where `cloudwerk dev` keeps local data: where `wrangler dev` keeps it too, so both see it. */
export const STATE_DIR = '.wrangler/state/v3'

/** Where objects' data lives (a folder per Worker and class, see worker-name.ts), relative to the app. */
export const OBJECTS_DIR = `${STATE_DIR}/do`

/** Miniflare's persistence options: every kind of local data under STATE_DIR (no rebuild wipes it). */
export function persistOptions(root: string) {
  const state = join(root, STATE_DIR)
  return {
    durableObjectsPersist: join(root, OBJECTS_DIR),
    kvPersist: join(state, 'kv'),
    d1Persist: join(state, 'd1'),
    r2Persist: join(state, 'r2'),
    cachePersist: join(state, 'cache'),
  }
}
