import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { UserError } from '../util/errors.js'
import { readText, writeIfChanged } from '../util/fs.js'
import { loadWrangler } from '../util/load-cached.js'
import { installedVersion } from '../util/version.js'
import { OUT_FILE, readConfig, type ConfigFile } from '../wrangler/config.js'
import { generatedPath } from './generated-paths.js'
import { DECLARATIONS_FILE, WORKER_TYPES_FILE } from './write-types.js'

interface GenerateTypes {
  experimental_generateTypes(options: { config?: string; path?: string }): Promise<{ content: string }>
}

// The environment variables wrangler reads while generating (the --env it picks, process.env as vars).
const WRANGLER_ENV = ['CLOUDFLARE_ENV', 'CLOUDFLARE_INCLUDE_PROCESS_ENV', 'CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV']

/**
 * Writes worker-configuration.d.ts as `wrangler types` does, through wrangler's library: the
 * wrangler CLI refuses Node < 22 and Cloudwerk runs on Node 20. Only for an app typed that way
 * (its tsconfig.json names the file, as the templates' do, or the file is there already).
 *
 * Generating takes seconds (wrangler asks workerd for the runtime types), so it is skipped while
 * what wrangler reads has not changed: the hash of those inputs and of the output is kept in
 * `.cloudwerk/`.
 */
export async function writeWorkerTypes(root: string): Promise<{ file: string; changed: boolean } | undefined> {
  const file = join(root, WORKER_TYPES_FILE)
  if (!existsSync(file) && !readText(join(root, 'tsconfig.json'))?.includes(WORKER_TYPES_FILE)) return undefined
  const config = readConfig(root)
  if (!config) return undefined
  const hashFile = generatedPath(root, 'workerTypesHash')
  const [knownInputs, knownOutput] = (readText(hashFile) ?? '').split('\n')
  const inputs = inputsHash(root, config)
  const current = readText(file)
  if (knownInputs === inputs && current !== undefined && hash(current) === knownOutput) return { file, changed: false }

  const wrangler = loadWrangler<GenerateTypes>()
  let content: string
  try {
    // No options when run in the app (the CLI always is): the file then says it was made by plain
    // `wrangler types`, byte for byte what that command writes.
    const elsewhere = root !== process.cwd()
    ;({ content } = await wrangler.exports.experimental_generateTypes(
      elsewhere ? { config: relative(process.cwd(), config.path), path: relative(process.cwd(), file) } : {},
    ))
  } catch (error) {
    const name = config.name
    throw new UserError(
      `${name}: wrangler could not generate ${WORKER_TYPES_FILE} from it: ${error instanceof Error ? error.message : String(error)}\nFix ${name}, then run cloudwerk types again.`,
      name,
    )
  }
  wrangler.saveCodeCache()
  const changed = writeIfChanged(file, content)
  writeIfChanged(hashFile, `${inputs}\n${hash(content)}`)
  return { file, changed }
}

// What wrangler's output depends on: its version (and the workerd it ships), the config, the vars
// and secrets files beside it, whether `main` is built (else the namespaces are untyped) and the
// build's declarations it names.
function inputsHash(root: string, config: ConfigFile): string {
  const digest = createHash('sha256').update(installedVersion('wrangler')).update(config.text)
  const varsFiles = readdirSync(root)
    .filter((name) => name.startsWith('.dev.vars') || name.startsWith('.env'))
    .sort()
  for (const name of [...varsFiles, DECLARATIONS_FILE]) digest.update(`${name}\0${readText(join(root, name)) ?? '(none)'}\0`)
  digest.update(String(existsSync(join(root, config.value.main ?? OUT_FILE))))
  for (const name of WRANGLER_ENV) digest.update(`${name}=${process.env[name] ?? ''}`)
  if (process.env.CLOUDFLARE_INCLUDE_PROCESS_ENV === 'true') digest.update(JSON.stringify(process.env))
  return digest.digest('hex')
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex')
