import { lazy, Suspense } from 'react';
import { AdvancedSection } from './AdvancedSection';

// Not needed to start: its own chunk keeps the first load small (tests/product-bundle.test.ts).
const EnsembleBody = lazy(() => import('./EnsembleBody'));

/**
 * Several teachers as one (Hinton et al.'s ensemble): gather the teachers loaded or trained one after another, or train
 * N of one model with seeds 1..N, then combine them into the teacher that students learn from.
 */
export function EnsemblePanel() {
  return (
    <AdvancedSection panel="ensemble" title="Ensemble" blurb="Two to eight teachers combined into one.">
      <Suspense fallback={<p className="panel-status">Loading…</p>}>
        <EnsembleBody />
      </Suspense>
    </AdvancedSection>
  );
}
