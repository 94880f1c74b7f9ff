import { defineConfig } from 'vitest/config'
import { cloudwerkTest } from '@cloudwerk/cli/vitest'

// Laid over a copy of templates/basic (test/vitest-plugin.test.ts): the template tested in workerd.
export default defineConfig({ plugins: [cloudwerkTest()] })
