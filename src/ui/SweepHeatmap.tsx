import { studentPreset, type StudentPresetId } from '../core/presets';
import { excludesZero, type Interval, tInterval95 } from '../core/stats';
import type { SoftTargets } from '../core/experiment';
import { SOFT_TARGET_LABELS } from '../core/method-rules';
import { cellKey, runCount, summariseCell, type CellSummary, type SweepRunResult } from '../core/sweep';
import { formatDuration, formatPercent } from '../state/format';
import { useSweep, type Sweep } from '../state/sweep-store';

/** Gains this large (percentage points) or larger get the full colour; smaller sweeps are not washed out. */
const MIN_SCALE = 1;
const NEGATIVE = [214, 96, 77];
const POSITIVE = [67, 147, 195];

/** White at 0, red below, blue above, by |gain| relative to `scale`. Dark text stays readable at full strength. */
export function divergingColour(points: number, scale: number): string {
  const t = Math.min(1, Math.abs(points) / scale);
  const end = points < 0 ? NEGATIVE : POSITIVE;
  const mix = end.map((c) => Math.round(255 + (c - 255) * t));
  return `rgb(${mix.join(', ')})`;
}

/** "+0.42", "−1.50", and "0.00" when it rounds to nothing, so that no cell reads "−0.00". */
function signed(points: number): string {
  const text = Math.abs(points).toFixed(2);
  return Number(text) === 0 ? text : `${points > 0 ? '+' : '−'}${text}`;
}

function cellText(summary: CellSummary): string {
  const mean = signed(summary.gain.mean * 100);
  return summary.gain.std === null ? mean : `${mean} ± ${(summary.gain.std * 100).toFixed(2)}`;
}

/** The paired distilled − scratch 95% interval of a cell with two seeds or more, in points. */
function intervalText(interval: Interval): string {
  return `[${signed(interval.low * 100)}, ${signed(interval.high * 100)}]`;
}

/** Each cell's paired 95% Student-t interval of distilled − scratch (null below two seeds). */
export function cellIntervals(results: readonly SweepRunResult[]): Map<string, Interval | null> {
  const gains = new Map<string, number[]>();
  for (const r of results) gains.set(cellKey(r), [...(gains.get(cellKey(r)) ?? []), r.distilled - r.scratch]);
  return new Map([...gains].map(([key, g]) => [key, tInterval95(g)]));
}

function cellDetail(summary: CellSummary): string {
  return `${summary.n} seed${summary.n === 1 ? '' : 's'}: distilled ${formatPercent(summary.distilled.mean)}, scratch ${formatPercent(summary.scratch.mean)}`;
}

/** Distilled minus scratch test accuracy per cell, one table per student preset, as the sweep fills it. */
export function SweepHeatmap() {
  const sweep = useSweep((s) => s.sweep);
  if (!sweep) return null;
  const byCell = new Map<string, SweepRunResult[]>();
  for (const r of sweep.results) byCell.set(cellKey(r), [...(byCell.get(cellKey(r)) ?? []), r]);
  const summaries = new Map([...byCell].map(([key, results]) => [key, summariseCell(results)]));
  const scale = Math.max(MIN_SCALE, ...[...summaries.values()].map((s) => Math.abs(s.gain.mean * 100)));
  const intervals = cellIntervals(sweep.results);
  return (
    <section className="results sweep" aria-label="Sweep results">
      <SweepStatusLine sweep={sweep} />
      {sweep.spec.studentPresets.map((preset) => (
        <PresetTable key={preset} sweep={sweep} preset={preset} summaries={summaries} intervals={intervals} scale={scale} />
      ))}
      <p className="field-help">
        Percentage points of test accuracy, mean ± sample standard deviation over seeds; blue: the teacher helped, red: it hurt. With two
        seeds or more, the paired 95% interval (Student's t) in brackets; ★ where it excludes 0. {sweep.context}.
      </p>
    </section>
  );
}

function PresetTable({
  sweep,
  preset,
  summaries,
  intervals,
  scale,
}: {
  sweep: Sweep;
  preset: StudentPresetId;
  summaries: Map<string, CellSummary>;
  intervals: Map<string, Interval | null>;
  scale: number;
}) {
  const label = studentPreset(preset).label;
  const running = sweep.status === 'running';
  // A sweep over soft targets puts them side by side within each alpha.
  const targets: (SoftTargets | undefined)[] = sweep.spec.softTargets ?? [undefined];
  const columns = sweep.spec.alphas.flatMap((alpha) => targets.map((softTargets) => ({ alpha, softTargets })));
  const columnKey = (c: (typeof columns)[number]) => `${c.alpha}|${c.softTargets ?? ''}`;
  return (
    <table className="sweep-table" style={{ marginTop: 8 }}>
      <caption>Sweep: distilled − scratch accuracy, {label}</caption>
      <thead>
        <tr>
          <th scope="col">Temperature \ alpha</th>
          {columns.map((c) => (
            <th key={columnKey(c)} scope="col">
              α = {c.alpha}
              {c.softTargets !== undefined && `, ${SOFT_TARGET_LABELS[c.softTargets]}`}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sweep.spec.temperatures.map((temperature) => (
          <tr key={temperature}>
            <th scope="row">T = {temperature}</th>
            {columns.map(({ alpha, softTargets }) => {
              const key = cellKey({ studentPreset: preset, temperature, alpha, softTargets });
              const summary = summaries.get(key);
              const interval = intervals.get(key) ?? null;
              if (!summary) {
                return (
                  <td key={columnKey({ alpha, softTargets })} className="sweep-empty" data-state={running ? 'pending' : 'not-run'}>
                    {running ? '…' : 'not run'}
                  </td>
                );
              }
              return (
                <td
                  key={columnKey({ alpha, softTargets })}
                  data-state="done"
                  title={cellDetail(summary)}
                  style={{ background: divergingColour(summary.gain.mean * 100, scale), color: '#1d1d24' }}
                >
                  {cellText(summary)}
                  {interval && (
                    <div className="row-detail" data-excludes-zero={excludesZero(interval)}>
                      {intervalText(interval)}
                      {excludesZero(interval) && (
                        <>
                          <span aria-hidden="true"> ★</span>
                          <span className="visually-hidden">, the interval excludes 0</span>
                        </>
                      )}
                    </div>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SweepStatusLine({ sweep }: { sweep: Sweep }) {
  const done = sweep.results.length;
  const total = runCount(sweep.spec);
  const eta = sweep.progress?.etaSeconds;
  const text = {
    running: `Sweep: ${done} of ${total} runs done${eta != null ? `, about ${formatDuration(eta)} left` : ', estimating time left…'}`,
    finished: `Sweep finished: ${total} runs.`,
    cancelled: `Sweep cancelled after ${done} of ${total} runs: cells with no finished run show "not run".`,
    failed: `Sweep stopped by an error after ${done} of ${total} runs: cells with no finished run show "not run".`,
  }[sweep.status];
  return (
    <div className="progress-text" role="status" aria-label="Sweep progress">
      {text}
      {sweep.status === 'running' && <progress aria-label="Sweep runs done" max={total} value={done} style={{ width: '100%' }} />}
    </div>
  );
}
