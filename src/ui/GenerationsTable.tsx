import { formatPercent } from '../state/format';
import { useStudio } from '../state/store';

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;

/** Born-again's generations (as they finish, then the run's): each one's test accuracy and its difference from the teacher's. */
export function GenerationsTable() {
  const running = useStudio((s) => s.run !== null);
  const live = useStudio((s) => s.generationRows);
  const finished = useStudio((s) => s.results?.generations);
  const rows = running && live.length > 0 ? live : (finished ?? []);
  if (rows.length === 0) return null;
  return (
    <section className="generations" aria-labelledby="generations-title">
      <table aria-labelledby="generations-title">
        <caption id="generations-title">Generations</caption>
        <thead>
          <tr>
            <th scope="col">Generation</th>
            <th scope="col">Test accuracy</th>
            <th scope="col">Vs teacher (points)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.generation}>
              <th scope="row">{r.generation}</th>
              <td>{formatPercent(r.testAccuracy)}</td>
              <td>{points(r.testAccuracy - r.teacherAccuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="row-detail">
        Each generation has the teacher&apos;s architecture and is distilled from the one before (generation 1 from the teacher, at{' '}
        {formatPercent(rows[0].teacherAccuracy)}).
      </p>
    </section>
  );
}
