import { defineDurableObject } from '@cloudwerk/durable-object'
import add from '../lib/add.wasm'
import blob from '../lib/blob.bin'
import welcome from '../lib/welcome.md'

export default defineDurableObject<{ joined: string[] }>({
  init: () => ({ joined: [] }),
  methods: {
    join(name: string) {
      this.state.joined.push(name)
      return { joined: this.state.joined, welcome }
    },
    modules() {
      const { exports } = new WebAssembly.Instance(add)
      return {
        sum: (exports.add as (a: number, b: number) => number)(2, 3),
        bytes: [...new Uint8Array(blob)],
        isArrayBuffer: blob instanceof ArrayBuffer,
      }
    },
  },
})
