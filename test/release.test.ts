// One version for every framework package, and the release command that bumps them together.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { bumpVersions, checkVersions, dateChangelog, PACKAGES } from '../scripts/release.mjs'

const repo = join(import.meta.dirname, '..')
const copy = mkdtempSync(join(tmpdir(), 'cw-release-'))
afterAll(() => rmSync(copy, { recursive: true, force: true }))

test('the packages share one version and pin each other to it', () => {
  expect(checkVersions(repo)).toEqual([])
})

test('a release bumps every package and their dependencies on each other, and dates the changelog', () => {
  // The manifests only: other test files write into these folders meanwhile (builds, packing).
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(repo, dir))) {
      const manifest = join(dir, name, 'package.json')
      if (!existsSync(join(repo, manifest))) continue
      mkdirSync(join(copy, dir, name), { recursive: true })
      cpSync(join(repo, manifest), join(copy, manifest))
    }
  }
  cpSync(join(repo, 'CHANGELOG.md'), join(copy, 'CHANGELOG.md'))
  bumpVersions(copy, '9.8.7')
  expect(checkVersions(copy)).toEqual([])
  const cli = JSON.parse(readFileSync(join(copy, 'packages/cli/package.json'), 'utf8'))
  expect([cli.version, cli.dependencies['@cloudwerk/core'], cli.dependencies['create-cloudwerk']]).toEqual(['9.8.7', '9.8.7', '9.8.7'])
  expect(JSON.parse(readFileSync(join(copy, 'examples/counter/package.json'), 'utf8')).devDependencies['@cloudwerk/cli']).toBe('9.8.7')
  dateChangelog(copy, '9.8.7', '2030-01-02')
  // The entries that were under Unreleased now open the dated section.
  const firstEntry = /## Unreleased\n\n(- .*)\n/.exec(readFileSync(join(repo, 'CHANGELOG.md'), 'utf8'))![1]
  expect(readFileSync(join(copy, 'CHANGELOG.md'), 'utf8')).toContain(`## Unreleased\n\n## 9.8.7 (2030-01-02)\n\n${firstEntry}\n`)
  expect(() => dateChangelog(copy, '9.8.8')).toThrow('CHANGELOG.md: the "## Unreleased" section is missing or empty')
  expect(PACKAGES).toHaveLength(5)
})
