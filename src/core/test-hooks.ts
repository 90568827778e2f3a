/**
 * True only in builds made for the test suites: `vite build --mode e2e` (Playwright, the benchmark) and vitest.
 * The product build replaces `__TEST_HOOKS__` with `false`, so every `if (TEST_HOOKS)` branch, and what only it
 * imports, is dropped from the shipped bundles. Plain Node (tsx scripts) has no define: no test hooks there.
 */
declare const __TEST_HOOKS__: boolean | undefined;

export const TEST_HOOKS: boolean = typeof __TEST_HOOKS__ !== 'undefined' && __TEST_HOOKS__ === true;
