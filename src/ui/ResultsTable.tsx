import type { ModelResult } from '../core/results';
import type { TeacherResult } from '../worker/protocol';
import { ENSEMBLE_COMBINES } from '../state/config';
import { formatBytes, formatCount, formatMs, formatPercent, formatRatio } from '../state/format';
import { useStudio } from '../state/store';
import { QuantTable } from './QuantTable';
import { GenerationsTable } from './GenerationsTable';
import { RepeatsTable } from './RepeatsTable';

type Row = { name: string; description: string; result: ModelResult | null; member?: boolean };

/** "Teacher (ensemble of 3, mean of log-probabilities)" for an ensemble, "Teacher" for any other. */
export function teacherRowName(teacher: Pick<TeacherResult, 'members' | 'combine'> | null): string {
  if (!teacher?.members) return 'Teacher';
  const combine = ENSEMBLE_COMBINES.find((c) => c.id === teacher.combine)?.label.toLowerCase();
  return `Teacher (ensemble of ${teacher.members.length}${combine ? `, ${combine}` : ''})`;
}

/** The teacher's row, and an ensemble's members' rows under it, each with its own test accuracy. */
function teacherRows(teacher: TeacherResult | null): Row[] {
  const row: Row = { name: teacherRowName(teacher), description: teacher?.description ?? '', result: teacher };
  const members = (teacher?.members ?? []).map((m, i) => ({
    name: `Member ${i + 1}: ${m.description}`,
    description: '',
    result: m,
    member: true,
  }));
  return [row, ...members];
}

/** The numbers to quote: accuracy, agreement, size and speed of the teacher and both students. */
export function ResultsTable() {
  const teacher = useStudio((s) => s.teacher);
  const results = useStudio((s) => s.results);
  const rows: Row[] = [
    ...teacherRows(results?.teacher ?? teacher),
    { name: 'Distilled student', description: results?.distilled.description ?? '', result: results?.distilled ?? null },
    // Mutual learning's second student: the distilled student's peer, trained beside it.
    ...(results?.peer ? [{ name: 'Peer student', description: results.peer.description, result: results.peer }] : []),
    { name: 'Scratch student', description: results?.scratch.description ?? '', result: results?.scratch ?? null },
  ];
  return (
    <section className="results" aria-labelledby="results-title">
      {/* The headline first: after a run it is the one sentence a newcomer reads, and the table backs it up. */}
      {results && <Summary teacher={results.teacher} distilled={results.distilled} scratch={results.scratch} />}
      <table aria-labelledby="results-title">
        <caption id="results-title">Results</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Test accuracy</th>
            <th scope="col">Agreement with teacher</th>
            <th scope="col">Parameters</th>
            <th scope="col">Size</th>
            <th scope="col">Latency per sample</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ name, description, result, member }) => (
            <tr key={name} className={member ? 'member-row' : undefined}>
              <th scope="row">
                {name}
                {description && <div className="row-detail">{description}</div>}
              </th>
              <td>{result ? formatPercent(result.testAccuracy) : '—'}</td>
              {/* A member's agreement is with the ensemble it is part of (the teacher). */}
              <td>{result ? formatPercent(result.agreement) : '—'}</td>
              <td>{result?.params != null ? formatCount(result.params) : '—'}</td>
              <td>{result?.bytes != null ? formatBytes(result.bytes) : '—'}</td>
              <td>
                {result?.latencyMsPerSample != null ? formatMs(result.latencyMsPerSample) : '—'}
                {/* The median's spread: the interquartile range of the interleaved timings. */}
                {result?.latencySpread && (
                  <div className="row-detail">
                    IQR {formatMs(result.latencySpread.q1)} – {formatMs(result.latencySpread.q3)}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RepeatsTable />
      <GenerationsTable />
      <QuantTable />
    </section>
  );
}

function Summary({ teacher, distilled, scratch }: { teacher: ModelResult; distilled: ModelResult; scratch: ModelResult }) {
  const points = (x: number) => `${Math.abs(x * 100).toFixed(2)} points`;
  const gain = distilled.testAccuracy - scratch.testAccuracy;
  const facts = [
    teacher.bytes != null && distilled.bytes != null ? `${formatRatio(teacher.bytes / distilled.bytes)} smaller` : '',
    teacher.latencyMsPerSample != null && distilled.latencyMsPerSample != null
      ? `${formatRatio(teacher.latencyMsPerSample / distilled.latencyMsPerSample)} faster per sample on this device`
      : '',
    `${points(teacher.testAccuracy - distilled.testAccuracy)} ${distilled.testAccuracy <= teacher.testAccuracy ? 'below' : 'above'} the teacher`,
  ].filter(Boolean);
  return (
    <p className="summary">
      The distilled student is {facts.join(', ')}, and{' '}
      <strong>
        {points(gain)} {gain >= 0 ? 'better' : 'worse'}
      </strong>{' '}
      than the same student trained without the teacher.
    </p>
  );
}
