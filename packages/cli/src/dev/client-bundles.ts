import * as esbuild from 'esbuild'
import { createHash } from 'node:crypto'
import { relative } from 'node:path'
import { clientBuildOptions, findClientEntries } from '../pipeline/bundle-client.js'
import { formatMessage } from '../pipeline/bundle.js'
import { isUserError } from '../util/errors.js'
import { generatedPath } from '../pipeline/generated-paths.js'

/** The browser bundles `cloudwerk dev` serves from memory, by path under /client/. */
export interface ClientBuild {
  files: Record<string, Uint8Array>
  /** A hash of every file: equal hashes, nothing for pages to reload. */
  hash: string
  /** esbuild's errors (file:line:column and the line), when client/ does not compile. */
  error?: string
  ms: number
}

/**
 * Builds client/ for `cloudwerk dev`: an incremental esbuild context, not minified, kept in
 * memory (the dev server serves it without touching the assets folder, so workerd need not
 * restart). A compile error is data, not a throw: the Worker build goes on and pages keep the
 * last good bundles while the overlay shows the error.
 */
export function createClientBundles(root: string) {
  const outdir = generatedPath(root, 'devClient')
  let context: { key: string; context: esbuild.BuildContext<{ write: false }> } | undefined
  let last: ClientBuild = { files: {}, hash: '', ms: 0 }

  async function build(): Promise<ClientBuild> {
    const started = performance.now()
    try {
      const entries = findClientEntries(root)
      // A new or removed entry changes what esbuild builds: start a new context for it.
      const key = JSON.stringify(entries)
      if (context?.key !== key) {
        await context?.context.dispose()
        context = undefined
        if (!Object.keys(entries).length) return (last = { files: {}, hash: '', ms: 0 })
        context = { key, context: await esbuild.context({ ...clientBuildOptions(root, entries, outdir, { dev: true }), write: false }) }
      }
      const result = await context.context.rebuild()
      const files = Object.fromEntries(result.outputFiles.map((file) => [relative(outdir, file.path), file.contents]))
      const hash = createHash('sha256')
      for (const [path, contents] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) hash.update(`${path}\0`).update(contents)
      return (last = { files, hash: hash.digest('hex').slice(0, 16), ms: performance.now() - started })
    } catch (error) {
      return { ...last, error: describeError(error), ms: performance.now() - started }
    }
  }

  return {
    build,
    async dispose() {
      await context?.context.dispose()
    },
  }
}

function describeError(error: unknown): string {
  const failure = error as esbuild.BuildFailure
  if (Array.isArray(failure?.errors)) return failure.errors.map(formatMessage).join('\n')
  if (isUserError(error)) return error.message
  return (error as Error)?.stack ?? String(error)
}
