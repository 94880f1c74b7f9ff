// Compile-time checks of `version` + `migrate` (see definition.types.ts for how these work).
import { defineDurableObject, type StateOf } from '@cloudwerk/durable-object'
import { z } from 'zod'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectType<T extends true>(): void {}

interface DocV3 {
  title: string
  tags: string[]
  body: string
}
const DocV3Schema = z.object({ title: z.string(), tags: z.array(z.string()), body: z.string() })

// The contract, State given as a type argument.
export const doc = defineDurableObject<DocV3>({
  version: 3,
  migrate: {
    2: (old: any) => ({ ...old, tags: [] }),
    3: ({ name, ...rest }: any) => ({ ...rest, title: name }),
  },
  init: () => ({ title: '', tags: [], body: '' }),
  schema: DocV3Schema,
  methods: {
    async rename(title: string) {
      this.state.title = title
    },
  },
})

// Steps may take the old shape typed, or unknown, and may be async.
interface DocV1 {
  name: string
}
export const typedSteps = defineDurableObject<DocV3>({
  version: 2,
  migrate: {
    2: async (old: DocV1) => ({ title: old.name, tags: [], body: '' }),
  },
  init: () => ({ title: '', tags: [], body: '' }),
})

// Inferred State: the last step's `any` does not widen it.
export const inferred = defineDurableObject({
  version: 2,
  migrate: { 2: (old: any) => ({ ...old, count: 0 }) },
  init: () => ({ count: 0 }),
  methods: {
    async read() {
      return this.state.count
    },
  },
})
expectType<Equal<StateOf<typeof inferred>, { count: number }>>()

export const lastReturnsWrongShape = defineDurableObject<DocV3>({
  version: 2,
  // @ts-expect-error the last step must return State: body is missing
  migrate: {
    2: (old: any) => ({ title: String(old.name), tags: [] as string[] }),
  },
})

export const middleStepIsFree = defineDurableObject<DocV3>({
  version: 3,
  migrate: {
    2: (old: any) => ({ anything: old }), // not the last step: any shape
    3: (old: any) => ({ title: String(old.anything.name), tags: [], body: '' }),
  },
})

export const missingStep = defineDurableObject<DocV3>({
  version: 3,
  // @ts-expect-error version 3 needs migrate[2] and migrate[3]
  migrate: { 3: () => ({ title: '', tags: [], body: '' }) },
})

// @ts-expect-error a version above 1 needs its steps
export const versionWithoutSteps = defineDurableObject<DocV3>({ version: 2, init: () => ({ title: '', tags: [], body: '' }) })

// @ts-expect-error steps without a version (default 1) would never run
export const stepsWithoutVersion = defineDurableObject<DocV3>({ migrate: { 2: (old: any) => old } })
