// Pure data and language built-ins, with no Workers or Node APIs: `cloudwerk dev` (@cloudwerk/cli)
// sets the flag, and the runtime (@cloudwerk/core, @cloudwerk/durable-object) reads it.

/** The binding `cloudwerk dev` sets on the app's Worker to ask for development behaviour. */
export const DEV_FLAG = 'CLOUDWERK_DEV'

/**
 * Whether `env[DEV_FLAG]` asks for development behaviour (error details in responses, a log line
 * per request, methods' errors logged by the object). Bindings from `.dev.vars` arrive as
 * strings, so `"0"` and `"false"` are off.
 */
export function isDev(env: unknown): boolean {
  const flag = (env as Record<string, unknown> | undefined)?.[DEV_FLAG]
  return Boolean(flag) && flag !== '0' && flag !== 'false'
}
