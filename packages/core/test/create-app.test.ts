// Mistakes in the route list are reported when the Worker starts, naming the files. These checks
// run before any request, so they are plain function calls here.
import { expect, test } from 'vitest'
import { createApp } from '../src/runtime.ts'

const ok = () => new Response('ok')

test('two routes for the same URLs are refused, naming both files', () => {
  expect(() =>
    createApp({
      routes: [
        { path: '/rooms/:id', file: 'app/rooms/[id]/route.ts', module: { GET: ok } },
        { path: '/rooms/:slug', file: 'app/(chat)/rooms/[slug]/route.ts', module: { GET: ok } },
      ],
    }),
  ).toThrow('app/rooms/[id]/route.ts and app/(chat)/rooms/[slug]/route.ts both answer /rooms/:slug; keep one of them')
})

test('an export that is not a function is refused, with the expected shape', () => {
  expect(() => createApp({ routes: [{ path: '/x', file: 'app/x/route.ts', module: { POST: 'hello' as never } }] })).toThrow(
    'app/x/route.ts: the export POST must be a function, for example `export async function POST(request, { params, env, ctx })',
  )
})

test('a path the runtime cannot match is refused', () => {
  expect(() => createApp({ routes: [{ path: '/docs/*rest/edit', file: 'app/docs/route.ts', module: { GET: ok } }] })).toThrow(
    'the catch-all "*rest" must be the last segment',
  )
})
