import { defineDurableObject } from '@cloudwerk/durable-object'

interface Profile {
  title: string
  tags: string[]
}

// At version 3: tags were added at 2, name became title at 3.
export default defineDurableObject<Profile>({
  version: 3,
  migrate: {
    2: (old: any) => ({ ...old, tags: [] }),
    3: ({ name, ...rest }: any) => {
      if (typeof name !== 'string') throw new Error(`name is ${JSON.stringify(name)}, not a string`)
      return { ...rest, title: name }
    },
  },
  init: () => ({ title: '', tags: [] }),
  methods: {
    async read() {
      return this.state
    },
  },
})
