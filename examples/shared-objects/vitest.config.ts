import { defineConfig } from 'vitest/config'

// The tests run the app in workerd: building it and starting workerd takes seconds (more on a busy
// machine), and some tests wait for alarms, so the limits are wider than vitest's defaults.
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
})
