// Mistakes in route modules are reported when the Worker starts, naming the file. These checks
// run before any request, so they are plain function calls here. (Two routes for one URL and
// folders the router cannot match are refused by the build: packages/cli/test/scan.test.ts.)
import { expect, test } from 'vitest'
import { createApp } from '../src/runtime.ts'
import { routeAt } from './fixtures/route-at.ts'

test('an export that is not a function is refused, with the expected shape', () => {
  expect(() => createApp({ routes: [{ ...routeAt('app/x/route.ts'), module: { POST: 'hello' as never } }] })).toThrow(
    'app/x/route.ts: the export POST must be a function, for example `export async function POST(request, { params, env, ctx })',
  )
})
