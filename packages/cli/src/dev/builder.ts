import { Worker } from 'node:worker_threads'
import type { Manifest } from '../pipeline/manifest.js'
import { UserError } from '../util/errors.js'
import type { DevBuild } from './bundles.js'
import type { ClientBuild } from './client-bundles.js'
import type { WorkerOptionsFromConfig } from './wrangler-options.js'

export interface BuilderData {
  root: string
  environment?: string
}

export interface BuilderRequest {
  id: number
  type: 'build' | 'client' | 'dispose'
}

export interface DevBuildResult extends DevBuild {
  manifest: Manifest
  /** The objects bundle, the script workerd runs. */
  objectsFile: string
  /** Miniflare's options from wrangler.jsonc and .dev.vars. */
  config: WorkerOptionsFromConfig
  /** Things to tell the user about the config (bindings served by other Workers). */
  notes: string[]
  /** The last build, taken as it was because nothing it was made from changed (last-build.ts). */
  reused?: boolean
  /** The browser bundles of client/, served from memory (client-bundles.ts). */
  client?: ClientBuild
}

export interface BuilderReply {
  id: number
  build?: DevBuildResult
  client?: ClientBuild
  /** `compile`: esbuild's errors (file:line:column); `user`: any other problem for the user to fix. */
  error?: { message: string; kind: 'compile' | 'user' | 'internal' }
}

/** The app's code does not compile: the message lists esbuild's errors with their locations. */
export class CompileError extends UserError {}

export interface Builder {
  /** Scans app/, regenerates, bundles, syncs wrangler.jsonc. Rejects with a UserError to print. */
  build(): Promise<DevBuildResult>
  /** Rebuilds client/ alone (a change there touches nothing the Worker runs). */
  buildClient(): Promise<ClientBuild>
  dispose(): Promise<void>
}

/**
 * Starts the build thread (builder-thread.ts). `cloudwerk dev` starts it first thing, so the app
 * builds while this thread loads Miniflare: the two largest parts of the start, side by side.
 */
export function startBuilder(data: BuilderData): Builder {
  const worker = new Worker(new URL('./builder-thread.js', import.meta.url), { workerData: data })
  const pending = new Map<number, { resolve(reply: BuilderReply): void; reject(error: Error): void }>()
  let nextId = 0
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error)
    pending.clear()
  }
  worker.on('message', (reply: BuilderReply) => {
    const { id, error } = reply
    const call = pending.get(id)
    pending.delete(id)
    if (!error) return call?.resolve(reply)
    // Internal errors keep the thread's stack as their text; there is no other stack to show.
    if (error.kind === 'compile') call?.reject(new CompileError(error.message))
    else if (error.kind === 'user') call?.reject(new UserError(error.message))
    else call?.reject(Object.assign(new Error(error.message), { stack: error.message }))
  })
  let stopped: Error | undefined
  worker.on('error', (error) => failAll((stopped = error)))
  worker.on('exit', (code) => failAll((stopped ??= new Error(`cloudwerk dev's build thread stopped (exit code ${code}).`))))
  const call = (type: BuilderRequest['type']) =>
    new Promise<BuilderReply>((resolve, reject) => {
      if (stopped) return reject(stopped)
      const id = nextId++
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, type } satisfies BuilderRequest)
    })
  return {
    build: () => call('build').then((reply) => reply.build!),
    buildClient: () => call('client').then((reply) => reply.client!),
    async dispose() {
      await call('dispose').catch(() => {})
      await worker.terminate()
    },
  }
}
