import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UserError } from './errors.js'
import { suggestName as suggest } from '@cloudwerk/durable-object/shared/suggest'

type Options = NonNullable<ParseArgsConfig['options']>

export interface ParsedFlags {
  values: { [flag: string]: string | boolean | undefined }
  positionals: string[]
}

/** node:util parseArgs, with unknown flags turned into an error that suggests the nearest one. */
export function parseFlags(command: string, argv: string[], options: Options, allowPositionals = true): ParsedFlags {
  try {
    return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals, strict: true })
  } catch (error) {
    const flag = /'(-{1,2}[^']+)'/.exec((error as Error).message)?.[1]
    const known = ['--help', ...Object.keys(options).map((o) => `--${o}`)]
    const hint = flag ? suggest(flag.split('=')[0], known) : undefined
    throw new UserError(
      `cloudwerk ${command}: ${(error as Error).message.replace(/\. To specify.*$/s, '')}.${hint ? ` Did you mean ${hint}?` : ''} See \`cloudwerk ${command} --help\`.`,
    )
  }
}
