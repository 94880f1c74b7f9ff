import fg from 'fast-glob'
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { findSameUrlRoutes, formatRoutePath, parseRouteDir, ROUTE_METHODS } from '@cloudwerk/core/route-path'
import { UserError } from '../util/errors.js'
import type { Manifest, MiddlewareEntry, ObjectEntry, RouteEntry } from './manifest.js'
import { bindingNameFromClass, classNameFromFile, isValidClassName } from './object-name.js'

// The extensions of the app's source files (routes, middleware, objects) the build picks up.
const SOURCE = '{ts,tsx,js,mjs}'
const IGNORE = ['**/*.d.ts', '**/*.test.*', '**/*.spec.*', '**/node_modules/**']

/**
 * Reads `app/` into a manifest. Throws a UserError naming the file(s) for anything the build
 * cannot honour: a bad object file or name, a route folder that breaks a rule, or two files that
 * claim one class or one URL.
 */
export function scanApp(root: string): Manifest {
  if (!existsSync(join(root, 'app'))) {
    throw new UserError(`No app/ folder in ${root}. Run cloudwerk in your app's folder, or create one with \`cloudwerk create my-app\`.`)
  }
  return {
    root,
    objects: scanObjects(root),
    ...scanRoutes(root),
    hasPublic: existsSync(join(root, 'public')),
    hasClient: existsSync(join(root, 'client')),
  }
}

function list(root: string, pattern: string, ignore: string[] = []): string[] {
  // fast-glob's order follows the file system; sort so two machines produce the same manifest.
  return fg.sync(pattern, { cwd: root, ignore: [...IGNORE, ...ignore] }).sort()
}

function scanObjects(root: string): ObjectEntry[] {
  const objects: ObjectEntry[] = []
  for (const file of list(root, `app/objects/*.${SOURCE}`)) {
    const className = classNameFromFile(basename(file))
    if (!isValidClassName(className)) {
      throw new UserError(
        `${file}: "${basename(file)}" does not name a valid class ("${className}"). Name object files in kebab-case starting with a letter, e.g. app/objects/chat-room.ts -> ChatRoom.`,
        file,
      )
    }
    const twin = objects.find((o) => o.className === className)
    if (twin) {
      throw new UserError(`${twin.file} and ${file} both become the class ${className}. Rename or remove one of them.`, file)
    }
    objects.push({ file, className, binding: bindingNameFromClass(className) })
  }
  return objects
}

export const EXPECTED_OBJECT = `
    import { defineDurableObject } from '@cloudwerk/durable-object'

    export default defineDurableObject<State>({
      init: () => ({ ... }),
      methods: { ... },
    })`

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

function scanRoutes(root: string): { routes: RouteEntry[]; middleware: MiddlewareEntry[] } {
  // Outer folders first: that is the order in which middleware wraps a route.
  const middleware = list(root, `app/**/middleware.${SOURCE}`, ['app/objects/**'])
    .map((file) => ({ file, dir: appDir(file) }))
    .sort((a, b) => depth(a.dir) - depth(b.dir) || a.dir.localeCompare(b.dir))
  const routes: RouteEntry[] = []
  for (const file of list(root, `app/**/route.${SOURCE}`, ['app/objects/**'])) {
    const dir = appDir(file)
    const result = parseRouteDir(dir)
    if (result.error !== undefined) throw new UserError(`${file}: ${result.error}.`, file)
    routes.push({
      file,
      segments: result.segments,
      path: formatRoutePath(result.segments),
      methods: exportedMethods(readFileSync(join(root, file), 'utf8')),
      middleware: middleware.filter((m) => m.dir === '' || dir === m.dir || dir.startsWith(m.dir + '/')).map((m) => m.file),
    })
  }
  const twins = findSameUrlRoutes(routes)
  if (twins) {
    const [twin, { file, path }] = twins
    throw new UserError(
      `${twin.file} and ${file} both answer ${path}. Keep one route file per URL (folders in parentheses do not count in the URL).`,
      file,
    )
  }
  return { routes, middleware }
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length
}

/** Folder of a file under app/, posix, '' for app/ itself. */
function appDir(file: string): string {
  const dir = dirname(file)
  return dir === 'app' ? '' : dir.slice('app/'.length)
}

/** HTTP method names a route module exports, read from its source. */
export function exportedMethods(source: string): string[] {
  const code = stripComments(source)
  const found = new Set<string>()
  for (const m of code.matchAll(/export\s+(?:async\s+)?(?:function\s*\*?|const|let|var)\s+([A-Z]+)\b/g)) found.add(m[1])
  for (const list of code.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const item of list[1].split(','))
      found.add(
        item
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .trim(),
      )
  }
  return ROUTE_METHODS.filter((method) => found.has(method))
}
