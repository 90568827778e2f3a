import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { STUDENT_PRESETS } from '../core/presets';
import { findStudentArch } from '../core/student-archs';
import { formatPercent } from '../state/format';
import { canStart, pauseRun, resumeRun, startDistill, stopRun, trainTeacher } from '../state/run-actions';
import { useStudio, type StudioState } from '../state/store';
import { COLORS } from './charts/chart-style';
import { ProgressBar } from './ProgressBar';

/**
 * Train teacher sits here while there is nothing to distil from, else in the teacher panel beside its
 * settings: one button, in one place at a time (scripts and tests find it by its name).
 */
export function trainTeacherInRunBar(s: StudioState): boolean {
  return s.teacher === null && s.teacherRequest === null && s.dataRequest === null && s.backend !== null;
}

function dataLine(s: StudioState): string {
  if (s.dataRequest) return `${s.dataRequest.label}…`;
  if (s.dataset) return `${s.dataset.name} · ${s.dataset.numClasses} classes`;
  return s.dataError ? 'not loaded' : 'loading…';
}

function teacherLine(s: StudioState): string {
  if (s.teacherRequest) return `${s.teacherRequest.label}…`;
  if (s.run?.ensemble) return `training ensemble, ${s.run.ensemble.trained.length} of ${s.run.ensemble.size} done…`;
  if (s.run?.kind === 'teacher') return 'training…';
  // The figure first: on a phone only the start of the line shows.
  if (s.teacher) return `${formatPercent(s.teacher.testAccuracy)} · ${s.teacher.description}`;
  return 'none yet: train or upload one';
}

function studentLine(s: StudioState): string {
  const name =
    s.studentSource === 'uploaded' && s.uploadedStudent
      ? s.uploadedStudent.description
      : (STUDENT_PRESETS.find((p) => p.id === s.config.studentPreset)?.label ??
        findStudentArch(s.config.studentPreset)?.label ??
        s.config.studentPreset);
  if (s.run?.kind === 'distill') return `${name} · distilling…`;
  if (s.results)
    return `distilled ${formatPercent(s.results.distilled.testAccuracy)}, scratch ${formatPercent(s.results.scratch.testAccuracy)} · ${name}`;
  return `${name} · distilled and scratch`;
}

/** Scrolls to a setup panel and moves focus there, without touching the URL's hash (a share link lives in it). */
function jumpTo(event: MouseEvent<HTMLAnchorElement>, id: string): void {
  const target = document.getElementById(id);
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

function Stage({ panel, name, dots, line }: { panel: string; name: string; dots: string[]; line: string }) {
  return (
    <li className="stage">
      <a href={`#${panel}`} onClick={(e) => jumpTo(e, panel)}>
        {name}
      </a>
      <span className="stage-line" title={line}>
        {dots.map((colour) => (
          <span key={colour} className="dot" style={{ background: colour }} aria-hidden="true" />
        ))}
        {line}
      </span>
    </li>
  );
}

function Help({ children }: { children: ReactNode }) {
  return <p className="field-error run-bar-help">{children}</p>;
}

/**
 * Always in view (sticky): the pipeline at a glance, the run's buttons and its progress. Its height is
 * published as --runbar-h so that focus and in-page jumps scroll nothing under it.
 */
export function RunBar() {
  const ref = useRef<HTMLElement>(null);
  const run = useStudio((s) => s.run);
  const hasTeacher = useStudio((s) => s.teacher !== null);
  const startable = useStudio(canStart);
  const teacherHere = useStudio(trainTeacherInRunBar);
  const invalid = Object.values(useStudio((s) => s.invalid));
  const data = useStudio(dataLine);
  const teacher = useStudio(teacherLine);
  const student = useStudio(studentLine);

  useEffect(() => {
    const bar = ref.current;
    if (!bar || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--runbar-h', `${Math.ceil(bar.getBoundingClientRect().height)}px`));
    observer.observe(bar);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--runbar-h');
    };
  }, []);

  return (
    <section className="run-bar" aria-labelledby="run-heading" ref={ref}>
      <h2 id="run-heading" className="visually-hidden">
        Run
      </h2>
      <ol className="pipeline" aria-label="Pipeline">
        <Stage panel="panel-data" name="Data" dots={[]} line={data} />
        <Stage panel="panel-teacher" name="Teacher" dots={[COLORS.teacher]} line={teacher} />
        <Stage panel="panel-student" name="Student" dots={[COLORS.distilled, COLORS.scratch]} line={student} />
      </ol>
      <div className="button-row run-buttons">
        {teacherHere && (
          <button type="button" className="primary" onClick={trainTeacher} disabled={!startable}>
            Train teacher
          </button>
        )}
        <button type="button" className={teacherHere ? undefined : 'primary'} onClick={startDistill} disabled={!startable || !hasTeacher}>
          Distill
        </button>
        {run?.status === 'paused' ? (
          <button type="button" onClick={resumeRun}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={pauseRun} disabled={run?.status !== 'running'}>
            Pause
          </button>
        )}
        <button type="button" onClick={stopRun} disabled={!run || run.status === 'stopping'}>
          Stop
        </button>
      </div>
      <ProgressBar />
      {invalid.length > 0 && <Help>Fix the settings first: {invalid.join(' ')}</Help>}
    </section>
  );
}
