import { defineConfig } from 'vitest/config'

// Each test file starts the app in workerd (startTestApp), which can take a few seconds.
export default defineConfig({
  test: { hookTimeout: 60_000, testTimeout: 30_000 },
})
