import { expect, test } from 'vitest'
import { parseFlags } from './args.js'

const options = { port: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const

test('known flags and positionals are read; --help is always known', () => {
  expect(parseFlags('dev', ['--port', '8788', 'app', '-h'], options)).toEqual({
    values: { port: '8788', help: true },
    positionals: ['app'],
  })
})

test.each([
  [['--prot', '1'], "Unknown option '--prot'. Did you mean --port?"],
  [['--dryrun'], "Unknown option '--dryrun'. Did you mean --dry-run?"],
  [['--prot=1'], 'Did you mean --port?'],
])('%j fails naming the nearest flag', (argv, message) => {
  expect(() => parseFlags('dev', argv, options)).toThrow(message)
})

test('an unknown flag with nothing near says where the flags are listed', () => {
  expect(() => parseFlags('dev', ['--banana'], options)).toThrow("cloudwerk dev: Unknown option '--banana'. See `cloudwerk dev --help`.")
})

test('positionals are refused where a command takes none', () => {
  expect(() => parseFlags('routes', ['extra'], {}, false)).toThrow('cloudwerk routes:')
})
