import { useId, useState } from 'react';
import { SIZE_MEASURES, type SizeMeasure, sizeOf, studentFront, studentPoints } from '../../core/size-sweep';
import { formatBytes, formatCount, formatMs, formatPercent } from '../../state/format';
import type { SizeSweepRecord } from '../../state/run-record';
import { SizeSweepChart, studentLabel } from '../SizeSweepChart';

/** A kept size sweep's "Accuracy vs size" chart and its students' table, drawn from the record alone. */
export default function SizeSweepRunDetail({ run }: { run: SizeSweepRecord }) {
  const id = useId();
  const [measure, setMeasure] = useState<SizeMeasure>('params');
  const points = studentPoints(run.results);
  const front = studentFront(points, measure);
  const teacher = run.results.length ? run.results[run.results.length - 1].teacher : null;
  return (
    <section className="size-results" aria-label={`Size sweep ${run.name}`}>
      <p className="field-help">{run.context}</p>
      <div className="field">
        <label htmlFor={`${id}-measure`}>Size measure</label>
        <select id={`${id}-measure`} value={measure} onChange={(e) => setMeasure(e.target.value as SizeMeasure)}>
          {SIZE_MEASURES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      {points.length > 0 && <SizeSweepChart points={points} front={front} measure={measure} teacher={teacher} />}
      <table aria-label={`Students of ${run.name}`}>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Seeds</th>
            <th scope="col">Distilled</th>
            <th scope="col">Scratch</th>
            <th scope="col">Parameters</th>
            <th scope="col">Size (float32)</th>
            <th scope="col">Size (uint8)</th>
            <th scope="col">Latency at batch 1</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.student} className={front.includes(p) ? 'front' : undefined}>
              <th scope="row">{studentLabel(p.student)}</th>
              <td>{p.seeds}</td>
              <td>{formatPercent(p.distilled)}</td>
              <td>{formatPercent(p.scratch)}</td>
              <td>{formatCount(p.params)}</td>
              <td>{formatBytes(p.bytes.float32)}</td>
              <td>{formatBytes(p.bytes.uint8)}</td>
              <td>{`${formatMs(sizeOf(p, 'batch1'))} per sample`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
