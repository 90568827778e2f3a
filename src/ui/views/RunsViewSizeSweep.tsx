import { lazy, Suspense, useState } from 'react';
import { studentPoints } from '../../core/size-sweep';
import { formatPercent } from '../../state/format';
import type { SizeSweepRecord } from '../../state/run-record';
import { exportRun } from '../../state/runs-store';
import { DeleteButton, NameCell } from './RunRow';

const SizeSweepRunDetail = lazy(() => import('./RunsViewSizeSweepDetail'));

const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : '—');
const best = (xs: number[]) => (xs.length ? Math.max(...xs) : Number.NaN);

/**
 * A size sweep in the history: its best distilled and scratch students, and, when shown, its chart
 * and table again, as they were when it ended. It is not compared with distillations (no curves).
 */
export function SizeSweepRunRow({ run }: { run: SizeSweepRecord }) {
  const [open, setOpen] = useState(false);
  const points = studentPoints(run.results);
  const students = new Set(run.results.map((r) => r.student)).size;
  const total = run.spec.students.length * run.spec.seeds.length;
  return (
    <>
      <tr className="size-sweep-run">
        <td>{/* Size sweeps have no curves to overlay. */}</td>
        <NameCell run={run}>
          <div className="row-detail">
            {`Size sweep, ${run.results.length} of ${total} runs${run.status === 'finished' ? '' : ` (${run.status})`}`}
          </div>
        </NameCell>
        <td>{new Date(run.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}</td>
        <td>
          {pct(best(points.map((p) => p.distilled)))}
          <div className="row-detail">{`best of ${students}`}</div>
        </td>
        <td>{pct(best(points.map((p) => p.scratch)))}</td>
        <td>{pct(run.results[run.results.length - 1]?.teacher ?? Number.NaN)}</td>
        <td>—</td>
        <td>
          <div className="runs-actions">
            <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? 'Hide chart' : 'Show chart'}
            </button>
            <button type="button" onClick={() => exportRun(run, 'csv')}>
              Export CSV
            </button>
            <button type="button" onClick={() => exportRun(run, 'json')}>
              Export JSON
            </button>
            <DeleteButton run={run} />
          </div>
        </td>
      </tr>
      {open && (
        <tr className="size-sweep-detail">
          <td colSpan={8}>
            <Suspense fallback={<p className="field-help">Loading the chart…</p>}>
              <SizeSweepRunDetail run={run} />
            </Suspense>
          </td>
        </tr>
      )}
    </>
  );
}
