import { type SeedAccuracies, summariseRepeats } from '../core/stats';
import { formatPercent } from '../state/format';
import { useStudio } from '../state/store';

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;
const meanSd = (m: { mean: number; sd: number }) => `${formatPercent(m.mean)} ± ${(m.sd * 100).toFixed(2)}`;

/** The sentence under the Repeats table: the paired difference, its 95% interval and the verdict. */
export function repeatsSentence(rows: readonly SeedAccuracies[]): string {
  const s = summariseRepeats(rows);
  const i = s.difference.interval;
  const diff = `Distilled − scratch: ${points(s.difference.mean)} points`;
  if (!i) return `${diff} at 1 seed; ${s.text}.`;
  return `${diff} on average over ${s.seeds} seeds, 95% interval ${points(i.low)} to ${points(i.high)} (Student's t): ${s.text}.`;
}

/** A repeated run's seeds (as they finish, then the run's): each seed's accuracies, mean ± sd, and the verdict. */
export function RepeatsTable() {
  const running = useStudio((s) => s.run !== null);
  const live = useStudio((s) => s.repeatRows);
  const finished = useStudio((s) => s.results?.repeats);
  const rows = running && live.length > 0 ? live : (finished ?? []);
  if (rows.length === 0) return null;
  const s = summariseRepeats(rows);
  return (
    <section className="repeats" aria-labelledby="repeats-title">
      <table aria-labelledby="repeats-title">
        <caption id="repeats-title">Repeats</caption>
        <thead>
          <tr>
            <th scope="col">Seed</th>
            <th scope="col">Teacher</th>
            <th scope="col">Distilled student</th>
            <th scope="col">Scratch student</th>
            <th scope="col">Distilled − scratch (points)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seed}>
              <th scope="row">{r.seed}</th>
              <td>{formatPercent(r.teacher)}</td>
              <td>{formatPercent(r.distilled)}</td>
              <td>{formatPercent(r.scratch)}</td>
              <td>{points(r.distilled - r.scratch)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Mean ± sd</th>
            <td>{meanSd(s.teacher)}</td>
            <td>{meanSd(s.distilled)}</td>
            <td>{meanSd(s.scratch)}</td>
            <td>
              {points(s.difference.mean)} ± {(s.difference.sd * 100).toFixed(2)}
            </td>
          </tr>
        </tfoot>
      </table>
      <p role="status" className="verdict">
        {repeatsSentence(rows)}
      </p>
    </section>
  );
}
