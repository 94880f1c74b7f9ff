import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Writes `contents` only when they differ from what is on disk, so file watchers (ours, the
 * editor's, tsc --watch) are not woken for nothing. Writes through a temporary file and a rename
 * so a reader never sees a half-written file.
 */
export function writeIfChanged(file: string, contents: string): boolean {
  if (readText(file) === contents) return false
  writeAtomically(file, contents)
  return true
}

/** Writes through a temporary file and a rename, so a reader never sees a half-written file. */
export function writeAtomically(file: string, contents: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, contents)
  renameSync(temp, file)
}

export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Paths in manifests and generated code are always forward-slash and relative. */
export function toPosix(path: string): string {
  return path.split('\\').join('/')
}
