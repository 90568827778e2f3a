import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './pwa/register';
import { startStudio } from './state/store';
import { App } from './ui/App';
import './ui/styles.css';

// ?bench=1: only the benchmark worker that scripts/bench.ts drives, without the studio competing for the CPU.
if (new URLSearchParams(location.search).get('bench') === '1') void import('./bench/bench-page');
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
