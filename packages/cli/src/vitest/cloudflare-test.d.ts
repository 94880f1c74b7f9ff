// The one `cloudflare:test` function read-state.ts uses, typed without the Workers globals the
// pool's own declarations need (this package is typed for Node).
declare module 'cloudflare:test' {
  export function runInDurableObject<R>(
    stub: unknown,
    callback: (
      instance: unknown,
      ctx: { storage: { sql: { exec(query: string): { toArray(): Array<Record<string, unknown>> } } } },
    ) => R | Promise<R>,
  ): Promise<R>
}
