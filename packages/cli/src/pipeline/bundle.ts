import * as esbuild from 'esbuild'
import { join } from 'node:path'
import { UserError } from '../util/errors.js'
import { moduleRulesPlugin } from './module-rules.js'
import { OUT_FILE } from '../wrangler/config.js'

export { OUT_FILE }

/** What every Worker bundle shares (the framework's tests and benchmarks bundle with it too). */
export const WORKER_BUNDLE = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['workerd', 'worker', 'module', 'browser', 'main'],
  external: ['cloudflare:*', 'node:*'],
} satisfies esbuild.BuildOptions

/**
 * esbuild settings for an app's Worker: one ES module, `cloudflare:*` left to the runtime.
 * Deploy builds are minified (the source map keeps stack traces readable); dev builds are not.
 */
export function bundleOptions(root: string, entry: string, options: { minify?: boolean } = {}): esbuild.BuildOptions {
  return {
    ...WORKER_BUNDLE,
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: join(root, OUT_FILE),
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    minify: options.minify ?? false,
    plugins: [moduleRulesPlugin(root)],
  }
}

export async function bundle(root: string, entry: string): Promise<esbuild.Metafile> {
  try {
    const result = await esbuild.build(bundleOptions(root, entry, { minify: true }))
    return result.metafile!
  } catch (error) {
    throw toUserError(error)
  }
}

/** esbuild's errors, each as `file:line:column: message` and the offending line. */
export function toUserError(error: unknown): unknown {
  const failure = error as esbuild.BuildFailure
  if (!Array.isArray(failure?.errors)) return error
  const messages = failure.errors.map(formatMessage)
  return new UserError(`Build failed:\n${messages.join('\n')}`, failure.errors[0]?.location?.file)
}

export function formatMessage(message: esbuild.Message): string {
  const at = message.location
  if (!at) return message.text
  const pointer = `${' '.repeat(at.column)}^`
  return `${at.file}:${at.line}:${at.column + 1}: ${message.text}\n    ${at.lineText}\n    ${pointer}`
}
