import { DurableObjectStateError } from './errors.js'
import { joinPath } from './json-data.js'
import type { StateSchema } from './types.js'

type Issue = { path: ReadonlyArray<PropertyKey>; message: string }

const WHAT_FAILED = {
  load: {
    lead: 'the stored state does not match the schema',
    fix: 'If the schema changed since this state was saved, make the new or changed fields optional (or accept the old shape).',
  },
  init: { lead: 'init() returned a state that does not match the schema', fix: 'Make init return a valid first state.' },
  migrate: { lead: 'the result does not match the schema', fix: '' },
  commit: {
    lead: 'this change would leave the state invalid',
    fix: 'Nothing was saved and this.state is back to its last saved value.',
  },
} as const

/**
 * Runs the definition's schema (zod or anything with `safeParse`) over the whole state and
 * throws a DurableObjectStateError naming the invalid paths. The parsed output is not used:
 * the state stays exactly what the handlers wrote and what is stored.
 */
export function validateState(
  objectName: string,
  schema: StateSchema<unknown> | undefined,
  state: unknown,
  when: keyof typeof WHAT_FAILED,
): void {
  if (!schema) return
  const result = schema.safeParse(state)
  if (result.success) return
  const issues = result.error.issues
  const listed = issues.slice(0, 3).map((issue) => `${formatIssuePath(issue)}: ${issue.message}`)
  if (issues.length > 3) listed.push(`and ${issues.length - 3} more`)
  const { lead, fix } = WHAT_FAILED[when]
  throw new DurableObjectStateError(
    `${objectName}: ${lead}: ${listed.join('; ')}. ${fix}`,
    issues[0] ? formatIssuePath(issues[0]) : 'state',
  )
}

function formatIssuePath(issue: Issue): string {
  let path = 'state'
  for (const segment of issue.path) {
    path = typeof segment === 'number' ? `${path}[${segment}]` : joinPath(path, String(segment))
  }
  return path
}
