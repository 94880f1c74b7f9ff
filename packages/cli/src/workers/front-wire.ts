// What the dev front Worker (dev-front.ts) and the dev server in Node (dev/front-worker.ts,
// dev/client-reload.ts) agree on: the front Worker's binding names and the paths it hands to
// Node. Names only, so that both sides import it.

/** The front Worker's bindings, by their names in its `env`. */
export const FRONT_BINDINGS = {
  /** The app's own Worker, which answers every request the dev server does not. */
  app: 'CLOUDWERK_APP',
  /** A Node function service: client/'s bundles, the reload script and poll, the state view. */
  client: 'CLOUDWERK_DEV_CLIENT',
} as const

/** Every path under this prefix is the dev server's, never the app's. */
export const DEV_PATH_PREFIX = '/__cloudwerk/'

/** The script every HTML page gets in dev. */
export const RELOAD_SCRIPT_PATH = `${DEV_PATH_PREFIX}reload.js`

/** The long poll the reload script follows. */
export const EVENTS_PATH = `${DEV_PATH_PREFIX}events`
