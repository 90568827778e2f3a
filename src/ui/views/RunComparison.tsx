import type { RunRecord } from '../../state/run-record';
import { formatPercent } from '../../state/format';

const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : '—');

/** Distilled minus scratch, in points: the number a run is about. */
function gain(run: RunRecord): string {
  const g = run.results.distilled.testAccuracy - run.results.scratch.testAccuracy;
  return Number.isFinite(g) ? `${g >= 0 ? '+' : '−'}${Math.abs(g * 100).toFixed(2)} pts` : '—';
}

/** The selected runs side by side: the settings that differ and what they gave. */
export function RunComparison({ runs }: { runs: RunRecord[] }) {
  return (
    <table className="runs-compare">
      <caption>Run comparison</caption>
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">T</th>
          <th scope="col">alpha</th>
          <th scope="col">Student</th>
          <th scope="col">Epochs</th>
          <th scope="col">Distilled</th>
          <th scope="col">Scratch</th>
          <th scope="col">Gain</th>
          <th scope="col">Teacher</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <th scope="row">{run.name}</th>
            <td>{run.config.loss.temperature}</td>
            <td>{run.config.loss.alpha}</td>
            <td>{run.studentLabel}</td>
            <td>{run.config.epochs}</td>
            <td>{pct(run.results.distilled.testAccuracy)}</td>
            <td>{pct(run.results.scratch.testAccuracy)}</td>
            <td>{gain(run)}</td>
            <td>{pct(run.results.teacher.testAccuracy)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
