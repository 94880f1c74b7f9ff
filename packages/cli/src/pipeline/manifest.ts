import type { Segment } from '@cloudwerk/core/route-path'

/** What `scanApp` finds in `app/`: plain data, the input of every later build step. */
export interface Manifest {
  /** Absolute path of the app (the folder holding `app/`). */
  root: string
  objects: ObjectEntry[]
  routes: RouteEntry[]
  middleware: MiddlewareEntry[]
  /** Whether `public/` exists (served as static assets). */
  hasPublic: boolean
  /** Whether `client/` exists (browser code, bundled into the static assets). */
  hasClient: boolean
}

export interface ObjectEntry {
  /** Posix path relative to the root, e.g. `app/objects/chat-room.ts`. */
  file: string
  className: string
  binding: string
}

export interface RouteEntry {
  file: string
  /** The folder's segments, which the generated entry hands to the router as they are. */
  segments: Segment[]
  /** For listings and messages: `/api/rooms/:id`, `*rest` catch-all, `*rest?` optional catch-all. */
  path: string
  /** HTTP methods the module exports, found statically (for listings; the router reads the module). */
  methods: string[]
  /** Middleware files that wrap this route, outermost first. */
  middleware: string[]
}

export interface MiddlewareEntry {
  file: string
  /** Folder it applies to (and below), relative to `app/`; '' for app/ itself. */
  dir: string
}
