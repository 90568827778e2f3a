import { lazy, Suspense, useEffect, useState } from 'react';
import { isSizeSweepRecord, type RunRecord } from '../../state/run-record';
import { dismissRunsError, loadRuns, useRuns } from '../../state/runs-store';
import { RunComparison } from './RunComparison';
import { RunRow } from './RunRow';
import { SizeSweepRunRow } from './RunsViewSizeSweep';
import './runs.css';

const RunCharts = lazy(() => import('./RunCharts'));

/** Every finished distillation, kept in this browser: compare, rename, export, or pick up its student again. */
export function RunsView() {
  const { runs, loaded, error, skipped } = useRuns();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  useEffect(() => {
    void loadRuns();
  }, []);
  // In list order (newest first), and only runs that still exist (size sweeps have no curves to compare).
  const chosen: RunRecord[] = runs.filter((r): r is RunRecord => !isSizeSweepRecord(r) && selected.has(r.id));
  const toggle = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <section className="results runs" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      {error && (
        <div role="alert" className="message error">
          {error}{' '}
          <button type="button" onClick={dismissRunsError}>
            Dismiss
          </button>
        </div>
      )}
      {skipped.length > 0 && (
        <ul className="runs-skipped">
          {skipped.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      {runs.length === 0 ? (
        <p className="field-help">
          {loaded ? 'No runs yet: every distillation that finishes is kept here, with its student.' : 'Reading the run history…'}
        </p>
      ) : (
        <>
          <p className="field-help">Select runs to overlay their curves and compare them.</p>
          <table className="runs-table" aria-label="Runs">
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Name</th>
                <th scope="col">Date</th>
                <th scope="col">Distilled</th>
                <th scope="col">Scratch</th>
                <th scope="col">Teacher</th>
                <th scope="col">Student</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) =>
                isSizeSweepRecord(run) ? (
                  <SizeSweepRunRow key={run.id} run={run} />
                ) : (
                  <RunRow key={run.id} run={run} selected={selected.has(run.id)} onSelect={(on) => toggle(run.id, on)} />
                ),
              )}
            </tbody>
          </table>
        </>
      )}
      {chosen.length > 0 && (
        <Suspense fallback={<div className="charts charts-loading">Loading charts…</div>}>
          <RunCharts runs={chosen} />
        </Suspense>
      )}
      {chosen.length > 1 && <RunComparison runs={chosen} />}
    </section>
  );
}
