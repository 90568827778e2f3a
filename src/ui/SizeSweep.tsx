import { useId } from 'react';
import { archFits, STUDENT_ARCHS } from '../core/student-archs';
import {
  budgetBatch,
  budgetByteMeasure,
  budgetStudent,
  SIZE_MEASURES,
  sizeSweepRunCount,
  studentFront,
  studentPoints,
  type SizeMeasure,
} from '../core/size-sweep';
import { MAX_SEEDS_PER_CELL, MAX_SWEEP_RUNS } from '../core/sweep';
import { formatDuration, formatMs, formatPercent } from '../state/format';
import { canStart } from '../state/run-actions';
import {
  adoptStudent,
  cancelSizeSweep,
  findSmallestStudent,
  setSizeSweepForm,
  useSizeSweep,
  type SizeSweep,
} from '../state/size-sweep-store';
import { useStudio } from '../state/store';
import { SizeSweepChart, studentLabel } from './SizeSweepChart';

/** A limit as typed: empty is no limit; anything not a positive number is not a limit either (and says so). */
function limit(text: string): number | undefined | null {
  if (text.trim() === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** "Find the smallest student": sweep student sizes, chart accuracy against size, pick one within a budget. Its own chunk. */
export default function SizeSweepSection() {
  const form = useSizeSweep((s) => s);
  const dataset = useStudio((s) => s.dataset);
  const hasTeacher = useStudio((s) => s.teacher !== null);
  const startable = useStudio(canStart);
  const run = useStudio((s) => s.run);
  const student = useStudio((s) => s.config.studentPreset);
  const id = useId();
  const archs = STUDENT_ARCHS.filter((a) => !dataset || archFits(a, dataset));
  const chosen = form.students.filter((s) => archs.some((a) => a.id === s));
  const runs = sizeSweepRunCount({ students: chosen, seeds: Array.from({ length: form.seeds }) });
  const tooMany = runs > MAX_SWEEP_RUNS;
  const sweeping = run?.kind === 'sweep' && run.id === form.sweep?.runId;
  return (
    <section className="panel size-sweep" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Smallest student</h2>
      <p className="field-help">
        Each student below is distilled and trained from scratch at the current temperature, alpha and loss terms, for the student epochs
        set, one run per student and seed.
      </p>
      <fieldset className="size-students" disabled={run !== null}>
        <legend>Students to try</legend>
        {archs.map((a) => (
          <label key={a.id} className="checkbox">
            <input
              type="checkbox"
              checked={form.students.includes(a.id)}
              onChange={(e) =>
                setSizeSweepForm({
                  students: e.target.checked
                    ? STUDENT_ARCHS.map((x) => x.id).filter((x) => x === a.id || form.students.includes(x))
                    : form.students.filter((x) => x !== a.id),
                })
              }
            />
            {a.label}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-seeds`}>Seeds per student</label>
        <input
          id={`${id}-seeds`}
          type="number"
          min={1}
          max={MAX_SEEDS_PER_CELL}
          value={form.seeds}
          disabled={run !== null}
          onChange={(e) => {
            const v = Math.round(Number(e.target.value));
            if (v >= 1 && v <= MAX_SEEDS_PER_CELL) setSizeSweepForm({ seeds: v });
          }}
        />
      </div>
      <p className={tooMany ? 'field-error' : 'field-help'}>
        {`${runs} run${runs === 1 ? '' : 's'} (${chosen.length} student${chosen.length === 1 ? '' : 's'} × ${form.seeds} seed${form.seeds === 1 ? '' : 's'}); at most ${MAX_SWEEP_RUNS} a sweep.`}
      </p>
      <div className="button-row">
        <button type="button" disabled={!startable || !hasTeacher || chosen.length === 0 || tooMany} onClick={findSmallestStudent}>
          Find the smallest student
        </button>
        {sweeping && (
          <button type="button" onClick={cancelSizeSweep}>
            Cancel size sweep
          </button>
        )}
      </div>
      {!hasTeacher && <p className="field-help">Load or train a teacher first.</p>}
      {form.sweep && <SizeSweepResults sweep={form.sweep} measure={form.measure} maxKb={form.maxKb} maxMs={form.maxMs} current={student} />}
    </section>
  );
}

function SizeSweepResults({
  sweep,
  measure,
  maxKb,
  maxMs,
  current,
}: {
  sweep: SizeSweep;
  measure: SizeMeasure;
  maxKb: string;
  maxMs: string;
  current: string;
}) {
  const id = useId();
  const busy = useStudio((s) => s.run !== null);
  const points = studentPoints(sweep.results);
  const front = studentFront(points, measure);
  const teacher = sweep.results.length ? sweep.results[sweep.results.length - 1].teacher : null;
  const kb = limit(maxKb);
  const ms = limit(maxMs);
  const byteLabel = SIZE_MEASURES.find((m) => m.id === budgetByteMeasure(measure))?.label.replace('Bytes ', '') ?? '';
  const batch = budgetBatch(measure) === 'batch1' ? 'batch 1' : 'batch 128';
  const picked = kb === null || ms === null ? null : budgetStudent(points, measure, { maxKb: kb, maxMs: ms });
  let sentence: string;
  if (kb === null || ms === null) sentence = 'A limit must be a positive number.';
  else if (kb === undefined && ms === undefined) sentence = 'Set Max KB or Max ms per sample to pick a student.';
  else {
    const limits = [kb !== undefined && `${kb} KB ${byteLabel}`, ms !== undefined && `${formatMs(ms)} per sample at ${batch}`]
      .filter(Boolean)
      .join(' and ');
    sentence = picked
      ? `Within ${limits}: ${studentLabel(picked.student)}, distilled ${formatPercent(picked.distilled)} (scratch ${formatPercent(picked.scratch)}).`
      : `No student tried fits within ${limits}.`;
  }
  const total = sizeSweepRunCount(sweep.spec);
  const done = sweep.results.length;
  const eta = sweep.progress?.etaSeconds;
  const status = {
    running: `Size sweep: ${done} of ${total} runs done${eta != null ? `, about ${formatDuration(eta)} left` : ''}.`,
    finished: `Size sweep finished: ${total} runs.`,
    cancelled: `Size sweep cancelled after ${done} of ${total} runs; the finished ones are kept.`,
    failed: `Size sweep stopped by an error after ${done} of ${total} runs; the finished ones are kept.`,
  }[sweep.status];
  return (
    <div className="size-results">
      <p role="status" aria-label="Size sweep progress" className="progress-text">
        {status}
      </p>
      <p className="field-help">{sweep.context}</p>
      <div className="field">
        <label htmlFor={`${id}-measure`}>Size measure</label>
        <select id={`${id}-measure`} value={measure} onChange={(e) => setSizeSweepForm({ measure: e.target.value as SizeMeasure })}>
          {SIZE_MEASURES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      {points.length > 0 && <SizeSweepChart points={points} front={front} measure={measure} teacher={teacher} />}
      <div className="size-budget">
        <div className="field">
          <label htmlFor={`${id}-kb`}>Max KB</label>
          <input
            id={`${id}-kb`}
            type="number"
            min={0}
            step="any"
            value={maxKb}
            onChange={(e) => setSizeSweepForm({ maxKb: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-ms`}>Max ms per sample</label>
          <input
            id={`${id}-ms`}
            type="number"
            min={0}
            step="any"
            value={maxMs}
            onChange={(e) => setSizeSweepForm({ maxMs: e.target.value })}
          />
        </div>
      </div>
      <p className="size-pick" aria-live="polite">
        {sentence}
      </p>
      <button type="button" disabled={!picked || busy || picked.student === current} onClick={() => picked && adoptStudent(picked.student)}>
        Use this student
      </button>
      {picked && picked.student === current && <p className="field-help">{`${studentLabel(picked.student)} is the student now.`}</p>}
    </div>
  );
}
