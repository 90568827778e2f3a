import { lazy, Suspense } from 'react';
import { MAX_TEST_OUTPUT_ROWS } from '../../worker/protocol';
import { useStudio } from '../../state/store';
import { Staggered } from '../Staggered';
import './views.css';

// Lazy, as the live charts are: they draw with recharts, and nothing of them is needed before a run has finished.
const AnalysisView = lazy(() => import('./AnalysisView'));
const ExplorerView = lazy(() => import('./ExplorerView'));

/** The analysis and the explorer, once a run has sent every model's test logits. */
export function ResultViews() {
  const hasResults = useStudio((s) => s.results !== null);
  const hasOutputs = useStudio((s) => s.results?.testOutputs != null);
  if (!hasResults) return null;
  if (!hasOutputs) {
    return (
      <p className="view view-note">
        The analysis and the explorer need every model's test-set outputs, which are only sent for test sets of up to{' '}
        {MAX_TEST_OUTPUT_ROWS.toLocaleString('en-US')} rows.
      </p>
    );
  }
  return (
    <>
      <Suspense fallback={<div className="view view-note">Loading the analysis…</div>}>
        <AnalysisView />
      </Suspense>
      <Suspense fallback={<div className="view view-note">Loading the explorer…</div>}>
        <Staggered>
          <ExplorerView />
        </Staggered>
      </Suspense>
    </>
  );
}
