import * as esbuild from 'esbuild'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { runInThisContext } from 'node:vm'
import { UserError } from '../util/errors.js'
import { generatedPath } from './generated-paths.js'
import { toUserError, WORKER_BUNDLE } from './bundle.js'
import type { Manifest } from './manifest.js'
import { moduleRulesPlugin } from './module-rules.js'
import { EXPECTED_OBJECT } from './scan.js'

// Set by defineDurableObject on what it returns (see @cloudwerk/durable-object define.ts).
const DEFINITION_MARK = Symbol.for('cloudwerk.durableObjectDefinition')

/**
 * Loads every object file in Node and checks the value it exports, before anything is written:
 * `defineDurableObject` validates its definition when it runs (validate-definition.ts, the rules
 * workerd would apply when the Worker loads), so a typo such as `method:` stops the build here,
 * naming the file, instead of at the first start of workerd. Deciding from the loaded value, not
 * the file's text, also accepts a definition made elsewhere (re-exported, made by a factory).
 *
 * Like SvelteKit's analyse step, this runs the app's modules at build time. A module that cannot
 * load outside workerd (it touches a Workers-only global at the top level) is not checked here:
 * workerd still validates it when the Worker loads.
 */
export async function checkDefinitions(manifest: Manifest): Promise<void> {
  if (!manifest.objects.length) return
  const loaders = manifest.objects.map((o) => `() => import(${JSON.stringify(`./${o.file}`)})`)
  let code: string
  try {
    const result = await esbuild.build({
      ...WORKER_BUNDLE,
      absWorkingDir: manifest.root,
      stdin: { contents: `export const loaders = [${loaders.join(', ')}]`, resolveDir: manifest.root, loader: 'js' },
      // CommonJS, so that each `import()` becomes a function that evaluates its module when called.
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      plugins: [moduleRulesPlugin(manifest.root, { wasmPlaceholder: true }), workersStub],
    })
    code = result.outputFiles[0].text
  } catch (error) {
    throw toUserError(error)
  }
  const module = { exports: {} as { loaders: Array<() => Promise<{ default?: unknown }>> } }
  const require = createRequire(join(manifest.root, 'package.json'))
  try {
    runInThisContext(`(function (require, module, exports) {${code}\n})`, {
      filename: generatedPath(manifest.root, 'checkDefinitions'),
    })(require, module, module.exports)
  } catch {
    return // something outside the object files failed to load: workerd will say what
  }
  for (const [i, object] of manifest.objects.entries()) {
    let exported: { default?: unknown }
    try {
      exported = await module.exports.loaders[i]()
    } catch (error) {
      // The app's own copy of the package threw it, so it is known by name, not by class.
      if ((error as Error)?.name === 'DurableObjectConfigError')
        throw new UserError(`${object.file}: ${(error as Error).message}`, object.file)
      continue
    }
    if (!('default' in exported)) {
      throw new UserError(
        `${object.file} has no default export. An object file must export its definition:\n${EXPECTED_OBJECT}`,
        object.file,
      )
    }
    const value = exported.default
    if (!(typeof value === 'object' && value !== null && Object.hasOwn(value, DEFINITION_MARK))) {
      throw new UserError(
        `${object.file}: the default export is not a defineDurableObject(...) result. An object file must export its definition:\n${EXPECTED_OBJECT}`,
        object.file,
      )
    }
  }
}

// What an object module may import from the runtime, as far as loading it in Node needs: the base
// classes to extend and an empty `env`. Nothing here runs a request.
const workersStub: esbuild.Plugin = {
  name: 'cloudwerk-workers-stub',
  setup(build) {
    build.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: 'cloudwerk-workers-stub' }))
    build.onLoad({ filter: /.*/, namespace: 'cloudwerk-workers-stub' }, () => ({
      contents: `class Base { constructor(ctx, env) { this.ctx = ctx; this.env = env } }
module.exports = { DurableObject: Base, WorkerEntrypoint: Base, WorkflowEntrypoint: Base, RpcTarget: class {}, env: {}, waitUntil() {} }`,
      loader: 'js',
    }))
  },
}
