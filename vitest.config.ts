import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/temp-dir.global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The default 1 s is tight for the e2e and browser tests on a loaded 2-core CI machine.
    expect: { poll: { timeout: 5_000 } },
    pool: "forks",
  },
});
