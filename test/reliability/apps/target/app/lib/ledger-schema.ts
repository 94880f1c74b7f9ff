import { z } from 'zod'

// Beside app/objects, not in it: the tests import it in Node to check what was stored.
export const ledgerSchema = z.object({
  balance: z.number().int().min(0),
  entries: z.array(z.object({ id: z.string(), amount: z.number().int() })),
  notes: z.record(z.string(), z.unknown()),
  buckets: z.record(z.string(), z.record(z.string(), z.string())),
})

export type Ledger = z.infer<typeof ledgerSchema>
