import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './pwa/register';
import { startStudio } from './state/startup';
import { App } from './ui/App';
import './ui/styles.css';

/**
 * True in `--mode e2e` builds only (src/core/test-hooks.ts). Read here as the define itself, not as
 * TEST_HOOKS: only a constant folded inside this module drops the import() below before chunking,
 * so the product build emits no bench chunk at all (through an imported constant it would still
 * write one, unreferenced).
 */
declare const __TEST_HOOKS__: boolean;

// ?bench=1 (`npm run bench`, an e2e-mode build): only the benchmark worker that scripts/bench.ts drives, without the studio competing for the CPU.
if (__TEST_HOOKS__ && new URLSearchParams(location.search).get('bench') === '1') void import('./bench/bench-page');
else {
  startStudio();
  registerServiceWorker(); // offline use: production builds only
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
