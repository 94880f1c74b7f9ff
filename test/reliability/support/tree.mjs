// Every file of an app folder and its contents, to prove that a failed command wrote nothing.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { GENERATED_DIR } from '../../../packages/cli/dist/pipeline/generated-paths.js'

// node_modules is a link to the repository's; .cloudwerk/ is generated scratch space that every
// build rewrites (git-ignored, never deployed), so it is not the user's files or the build output.
const SKIPPED = new Set(['node_modules', GENERATED_DIR])

/** Relative path -> contents (base64, so binary files compare too). */
export function snapshotTree(root) {
  const files = {}
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else files[relative(root, path)] = readFileSync(path).toString('base64')
    }
  }
  walk(root)
  return files
}

/** Puts the folder back as `snapshot` recorded it: same files, same contents. */
export function restoreTree(root, snapshot) {
  for (const path of Object.keys(snapshotTree(root))) if (!(path in snapshot)) rmSync(join(root, path))
  for (const [path, contents] of Object.entries(snapshot)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), Buffer.from(contents, 'base64'))
  }
}
