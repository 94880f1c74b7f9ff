import { readDeclaredSchedules } from './declared-schedules.js'
import { DurableObjectConfigError } from './errors.js'
import { HANDLER_NAMES } from './shared/handler-names.js'
import { suggestName } from './shared/suggest.js'

const DEFINITION_KEYS = [
  'init',
  'schema',
  'sqlite',
  'memory',
  'methods',
  'schedules',
  'queueTimeoutMs',
  'version',
  'migrate',
  'client',
  ...HANDLER_NAMES,
]

// Method names that cannot work, and why. RPC reaches a method by its name on the generated
// class, and handlers reach `this.state`, `this.ctx`, ... by name on `this`.
const RENAME = 'rename the method'
const RESERVED_METHOD_NAMES: Record<string, { problem: string; fix: string }> = {
  ...Object.fromEntries(
    HANDLER_NAMES.map((name) => [
      name,
      {
        problem: 'is a handler, not an RPC method',
        fix: `define it at the top level of the definition, next to \`methods\`: ${name}(...) { ... }`,
      },
    ]),
  ),
  connect: { problem: 'is the platform handler for TCP sockets', fix: RENAME },
  constructor: { problem: 'names the class constructor', fix: RENAME },
  state: { problem: 'would hide this.state', fix: RENAME },
  ctx: { problem: 'would hide this.ctx', fix: RENAME },
  env: { problem: 'would hide this.env', fix: RENAME },
  broadcast: { problem: 'would hide this.broadcast()', fix: RENAME },
  outside: { problem: 'would hide this.outside()', fix: RENAME },
  memory: { problem: 'would hide this.memory', fix: RENAME },
  caller: { problem: 'would hide this.caller', fix: RENAME },
  connectClient: { problem: 'is the stub method routes use to connect a browser (`@cloudwerk/client`)', fix: RENAME },
  then: { problem: 'would make every stub look like a Promise (`await stub` would call it)', fix: RENAME },
  dup: { problem: 'is built into every RPC stub, so calls would never reach the object', fix: RENAME },
  onRpcBroken: { problem: 'is built into every RPC stub, so calls would never reach the object', fix: RENAME },
}

/** Throws a DurableObjectConfigError naming the first problem in a definition, and the fix. */
export function validateDefinition(definition: unknown): void {
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    fail(
      `expected an object like { init, methods }, got ${describe(definition)}`,
      'pass an object: defineDurableObject({ init: () => ({ ... }), methods: { ... } })',
    )
  }
  const input = definition as Record<string, unknown>
  for (const key of Object.keys(input)) checkKnownKey(key, input[key])
  if ('sqlite' in input && input.sqlite !== true && input.sqlite !== undefined) {
    fail(
      `sqlite: ${describe(input.sqlite)} is not supported: every Cloudwerk object is SQLite-backed (its state lives in SQLite)`,
      'remove the `sqlite` option, or write `sqlite: true`',
    )
  }
  for (const key of ['init', 'memory', ...HANDLER_NAMES]) {
    if (input[key] !== undefined && typeof input[key] !== 'function') {
      fail(`\`${key}\` must be a function, got ${describe(input[key])}`, `write \`${key}(...) { ... }\` or leave it out`)
    }
  }
  const schema = input.schema as { safeParse?: unknown } | undefined
  if (schema !== undefined && (schema === null || typeof schema.safeParse !== 'function')) {
    fail(
      `\`schema\` must be a zod schema (or anything with safeParse), got ${describe(schema)}`,
      'pass e.g. `schema: z.object({ ... })`, or leave it out',
    )
  }
  const timeout = input.queueTimeoutMs
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0 && Number.isFinite(timeout))) {
    fail(`\`queueTimeoutMs\` must be a positive number of milliseconds, got ${describe(timeout)}`, 'leave it out to use 30000')
  }
  if (input.methods !== undefined) checkMethods(input.methods)
  const schedules = readDeclaredSchedules(input.schedules, (input.methods ?? {}) as Record<string, unknown>)
  if (!Array.isArray(schedules)) fail(schedules.problem, schedules.fix)
  if (input.client !== undefined) checkClient(input.client, input.methods)
  checkVersion(input.version, input.migrate)
}

/** `version` and `migrate`: one step for every version after 1, and none beyond. */
function checkVersion(version: unknown, migrate: unknown): void {
  if (version !== undefined && !(Number.isSafeInteger(version) && (version as number) >= 1)) {
    fail(
      `\`version\` must be a whole number from 1 up, got ${describe(version)}`,
      'start at version: 2 for the first change of shape (objects stored without a version are version 1)',
    )
  }
  const current = (version as number | undefined) ?? 1
  if (migrate === undefined) {
    if (current > 1)
      fail(
        `version ${current} needs \`migrate\` with a step for each version from 2 to ${current}`,
        `add migrate: { 2: (old) => ({ ...old }) ... } turning each version into the next`,
      )
    return
  }
  if (migrate === null || typeof migrate !== 'object' || Array.isArray(migrate)) {
    fail(
      `\`migrate\` must be an object of steps like { 2: (old) => next }, got ${describe(migrate)}`,
      'key each step by the version it produces',
    )
  }
  for (const key of Object.keys(migrate as object)) {
    const step = Number(key)
    if (!Number.isSafeInteger(step) || step < 2 || step > current) {
      const why =
        current === 1
          ? 'without `version` the state is at version 1, so no step ever runs'
          : `\`version\` is ${current}, so steps go from 2 to ${current}`
      fail(
        `migrate[${JSON.stringify(key)}] is not a step this definition can run: ${why}`,
        current === 1 ? `add \`version: ${Number.isSafeInteger(step) && step > 1 ? step : 2}\`` : `raise \`version\` or remove the step`,
      )
    }
    const value = (migrate as Record<string, unknown>)[key]
    if (typeof value !== 'function')
      fail(`migrate[${step}] must be a function (old) => next, got ${describe(value)}`, `write ${step}: (old) => ({ ...old })`)
  }
  for (let step = 2; step <= current; step++) {
    if (!Object.hasOwn(migrate as object, String(step))) {
      fail(
        `version is ${current} but migrate[${step}] is missing: objects stored at version ${step - 1} could not be brought to ${step}`,
        `add ${step}: (old) => ({ ...old }) to \`migrate\` (each step turns version n - 1 into n)`,
      )
    }
  }
}

function checkKnownKey(key: string, value: unknown): void {
  if (DEFINITION_KEYS.includes(key)) return
  const close = suggestName(key, DEFINITION_KEYS)
  if (close) fail(`unknown option \`${key}\``, `did you mean \`${close}\`?`)
  if (typeof value === 'function') fail(`unknown option \`${key}\``, `RPC methods go inside \`methods\`: methods: { ${key}(...) { ... } }`)
  fail(`unknown option \`${key}\``, `the options are: ${DEFINITION_KEYS.join(', ')}`)
}

function checkMethods(methods: unknown): void {
  if (methods === null || typeof methods !== 'object' || Array.isArray(methods)) {
    fail(`\`methods\` must be an object of functions, got ${describe(methods)}`, 'write methods: { increment() { ... } }')
  }
  for (const key of Reflect.ownKeys(methods as object)) {
    if (typeof key === 'symbol') fail(`\`methods\` has a symbol key (${String(key)})`, 'RPC methods need string names')
    const descriptor = Object.getOwnPropertyDescriptor(methods, key)!
    if (key.startsWith('__')) fail(`method \`${key}\`: names starting with "__" are reserved for the framework`, RENAME)
    const reserved = Object.hasOwn(RESERVED_METHOD_NAMES, key) ? RESERVED_METHOD_NAMES[key] : undefined
    if (reserved) fail(`method \`${key}\` ${reserved.problem}`, reserved.fix)
    if (descriptor.get || descriptor.set) fail(`method \`${key}\` is a getter or setter`, `write it as a method: ${key}() { ... }`)
    if (typeof descriptor.value !== 'function') {
      fail(
        `method \`${key}\` must be a function, got ${describe(descriptor.value)}`,
        `write ${key}(...) { ... }, or keep data in state (init)`,
      )
    }
  }
}

/** `client: { state, methods }`: lists of names, each method one of `methods`. */
function checkClient(client: unknown, methods: unknown): void {
  const example = "client: { state: ['topic', 'messages'], methods: ['send'] }"
  if (client === null || typeof client !== 'object' || Array.isArray(client))
    fail(`\`client\` must be an object, got ${describe(client)}`, `write ${example}`)
  for (const key of Object.keys(client as object)) {
    if (key !== 'state' && key !== 'methods')
      fail(`unknown option \`client.${key}\``, `\`client\` takes \`state\` and \`methods\`: ${example}`)
  }
  const { state, methods: names } = client as { state?: unknown; methods?: unknown }
  for (const [option, list] of [
    ['state', state],
    ['methods', names],
  ] as const) {
    if (list === undefined) continue
    if (!Array.isArray(list) || list.some((name) => typeof name !== 'string')) {
      fail(`\`client.${option}\` must be an array of names, got ${describe(list)}`, `write ${example}`)
    }
  }
  const defined = methods && typeof methods === 'object' ? Object.keys(methods) : []
  for (const name of (names as string[] | undefined) ?? []) {
    if (defined.includes(name)) continue
    const close = suggestName(name, defined)
    fail(
      `\`client.methods\` names \`${name}\`, which is not in \`methods\``,
      close ? `did you mean \`${close}\`?` : `define ${name}(...) { ... } in \`methods\`, or remove it from client.methods`,
    )
  }
}

function fail(problem: string, fix: string): never {
  throw new DurableObjectConfigError(`defineDurableObject: ${problem}. Fix: ${fix}.`)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object' || typeof value === 'function') return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`
  return String(value)
}
