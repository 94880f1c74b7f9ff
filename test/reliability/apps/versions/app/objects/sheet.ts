import { defineDurableObject } from '@cloudwerk/durable-object'
import { checkNumbers } from '../lib/check-numbers'

// Version 1. migration-crash.test.ts replaces this file with version 2 (see there), whose step
// doubles every number: a half-applied migration would show as numbers not doubled, or doubled
// twice once the step ran again.
type Sheet = { rows: Array<{ n: number }> } & Record<`k${number}`, number>

export default defineDurableObject<Sheet>({
  init: () => ({ rows: [] }) as unknown as Sheet,
  methods: {
    async fill(rows: number, keys: number) {
      for (let n = 0; n < rows; n++) this.state.rows.push({ n })
      for (let n = 0; n < keys; n++) this.state[`k${n}`] = n
      return this.state.rows.length
    },
    async check() {
      return { version: 1, ...checkNumbers(this.state as Record<string, unknown>, 1) }
    },
  },
})
