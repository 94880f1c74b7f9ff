import { describe, expect, test } from 'vitest'
import type { Manifest } from './manifest.js'
import { renderDevObjectsEntry, renderDevRoutesEntry, renderEntry, renderTestEntry } from './write-entry.js'

// Each entry as the app below gets it: one object, one route under one middleware.
const manifest: Manifest = {
  root: '/app',
  objects: [{ file: 'app/objects/chat-room.ts', className: 'ChatRoom', binding: 'rooms' }],
  routes: [
    {
      file: 'app/api/rooms/[id]/route.ts',
      segments: [
        { kind: 'static', value: 'api' },
        { kind: 'static', value: 'rooms' },
        { kind: 'param', name: 'id' },
      ],
      path: '/api/rooms/:id',
      methods: ['GET'],
      middleware: ['app/api/middleware.ts'],
    },
  ],
  middleware: [{ file: 'app/api/middleware.ts', dir: 'api' }],
  hasPublic: false,
  hasClient: false,
}
const empty: Manifest = { ...manifest, objects: [], routes: [], middleware: [] }

const HEADER = '// generated from app/ by cloudwerk - do not edit'
const ROUTE_IMPORTS = [
  `import { createApp } from '@cloudwerk/core/runtime'`,
  `import middleware0 from "../app/api/middleware"`,
  `import * as route0 from "../app/api/rooms/[id]/route"`,
]
const OBJECT_IMPORTS = [
  `import { createDurableObjectClass } from '@cloudwerk/durable-object'`,
  `import object0 from "../app/objects/chat-room"`,
]
const CREATE_APP = [
  'export default createApp({',
  '  routes: [',
  `    { file: "app/api/rooms/[id]/route.ts", segments: [{"kind":"static","value":"api"},{"kind":"static","value":"rooms"},{"kind":"param","name":"id"}], module: route0, middleware: [middleware0] },`,
  '  ],',
  '  objects: {',
  '    ChatRoom: "rooms",',
  '  },',
  '})',
]
const lines = (...parts: string[]) => [...parts, ''].join('\n')

describe('renderEntry (the Worker cloudwerk build bundles)', () => {
  test('imports the modules, declares a class per object, hands the routes and bindings to createApp', () => {
    expect(renderEntry(manifest)).toBe(
      lines(
        HEADER,
        ...ROUTE_IMPORTS,
        ...OBJECT_IMPORTS,
        '',
        `export class ChatRoom extends createDurableObjectClass(object0, { name: "ChatRoom", file: "app/objects/chat-room.ts" }) {}`,
        '',
        ...CREATE_APP,
      ),
    )
  })
  test('an app with nothing in it still gets a router', () => {
    expect(renderEntry(empty)).toBe(
      lines(
        HEADER,
        `import { createApp } from '@cloudwerk/core/runtime'`,
        '',
        'export default createApp({',
        '  routes: [],',
        '  objects: {},',
        '})',
      ),
    )
  })
})

test('renderTestEntry: the same Worker, its objects with test hooks', () => {
  expect(renderTestEntry(manifest)).toBe(
    lines(
      HEADER,
      ...ROUTE_IMPORTS,
      ...OBJECT_IMPORTS,
      '',
      `export class ChatRoom extends createDurableObjectClass(object0, { name: "ChatRoom", file: "app/objects/chat-room.ts", testHooks: true }) {}`,
      '',
      ...CREATE_APP,
    ),
  )
})

describe('the two halves of the Worker in cloudwerk dev', () => {
  test('renderDevObjectsEntry: the classes and the loader of the routes half, no routes', () => {
    expect(renderDevObjectsEntry(manifest)).toBe(
      lines(
        HEADER,
        `import * as workers from 'cloudflare:workers'`,
        `import { createDevLoader } from '@cloudwerk/core/dev'`,
        ...OBJECT_IMPORTS,
        '',
        `export class ChatRoom extends createDurableObjectClass(object0, { name: "ChatRoom", file: "app/objects/chat-room.ts" }) {}`,
        '',
        `export default createDevLoader({ modules: { 'cloudflare:workers': workers } })`,
      ),
    )
  })
  test('renderDevRoutesEntry: the router alone, naming the objects by binding, no classes', () => {
    expect(renderDevRoutesEntry(manifest)).toBe(lines(HEADER, ...ROUTE_IMPORTS, '', ...CREATE_APP))
  })
})
