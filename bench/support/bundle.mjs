// Bundles a benchmark Worker with the framework's own esbuild settings (WORKER_BUNDLE, what
// `cloudwerk build` uses), with Cloudwerk's packages from source. Node built-ins, some imported
// without the node: prefix by the Agents SDK's dependencies, are left to workerd's nodejs_compat.
// Without the peers in bench/node_modules, `partyserver` and `agents` resolve to no-peer.js.
import { build } from 'esbuild'
import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { WORKER_BUNDLE } from '../../packages/cli/dist/pipeline/bundle.js'

const modules = join(import.meta.dirname, '..', 'node_modules')

/** PartyServer and the Agents SDK are installed (cd bench && npm install --no-audit --no-fund). */
export const hasPeers = existsSync(join(modules, 'partyserver')) && existsSync(join(modules, 'agents'))

/** The bundled module's text. */
export async function bundleWorker(entry, { minify = false, source = true } = {}) {
  const noPeer = join(import.meta.dirname, 'no-peer.js')
  const result = await build({
    ...WORKER_BUNDLE,
    conditions: source ? ['source', ...WORKER_BUNDLE.conditions] : WORKER_BUNDLE.conditions,
    external: [...WORKER_BUNDLE.external, ...builtinModules],
    entryPoints: [entry],
    minify,
    ...(hasPeers ? {} : { alias: { partyserver: noPeer, agents: noPeer } }),
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}
