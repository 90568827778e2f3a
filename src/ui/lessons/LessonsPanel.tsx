import { useEffect, useId, useRef, useState } from 'react';
import { liveSentence, measuredSentence } from '../../core/lessons/compare';
import type { Lesson } from '../../core/lessons/types';
import { setExplorerTemperature } from '../../state/explorer-store';
import {
  canRunLesson,
  chooseLesson,
  closeLessons,
  currentLesson,
  LESSONS,
  leaveLesson,
  lessonSettings,
  liveFigures,
  nextStep,
  previousStep,
  runLesson,
  setUpLesson,
  useLessons,
} from '../../state/lesson-store';
import { useStudio } from '../../state/store';
import { lookAt, lookLabel } from './look-at';
import './lessons.css';

function settingsLine(lesson: Lesson): string {
  const s = lessonSettings(lesson);
  const parts = [`T = ${s.temperature}`, `alpha ${s.alpha}`, `${s.studentEpochs} student epochs`];
  if (s.labelledFraction < 1) parts.push(`${Math.round(s.labelledFraction * 100)}% of the labels`);
  if (s.omitClass !== null) parts.push(`no ${s.omitClass}s in the transfer set`);
  return parts.join(', ');
}

function SetupLine({ lesson }: { lesson: Lesson }) {
  const setup = useLessons((s) => s.setup);
  const message = useLessons((s) => s.message);
  const teacher = useStudio((s) => s.teacher?.description);
  if (setup === 'failed')
    return (
      <p className="lesson-setup field-error">
        {message}{' '}
        <button type="button" className="link-button" onClick={() => setUpLesson(lesson)}>
          Set up again
        </button>
      </p>
    );
  if (setup === 'loading') return <p className="lesson-setup">Setting the studio up: MNIST-10k and the shipped teacher…</p>;
  return (
    <p className="lesson-setup">
      Set up: MNIST-10k, {teacher ?? 'the shipped teacher'}, {settingsLine(lesson)}.
    </p>
  );
}

function LiveComparison({ lesson }: { lesson: Lesson }) {
  const sentence = useStudio((s) => {
    const live = liveFigures(s, lesson);
    return live ? liveSentence(lesson, live) : null;
  });
  return (
    <div className="lesson-figures">
      <p>{measuredSentence(lesson)}</p>
      <p aria-live="polite" className="lesson-live">
        {sentence ?? 'Your run: press "Run this experiment"; its figures appear here, epoch by epoch.'}
      </p>
    </div>
  );
}

function LookButton({ look }: { look: NonNullable<Lesson['steps'][number]['look']> }) {
  const [missing, setMissing] = useState(false);
  return (
    <p className="lesson-look">
      <button type="button" className="link-button" onClick={() => setMissing(!lookAt(look))}>
        {lookLabel(look)}
      </button>
      {missing && ' It appears once a run has finished.'}
    </p>
  );
}

function LessonView({ lesson }: { lesson: Lesson }) {
  const step = useLessons((s) => s.step);
  const setup = useLessons((s) => s.setup);
  const runnable = useStudio((s) => canRunLesson(s, { setup }));
  const running = useStudio((s) => s.run !== null);
  const heading = useRef<HTMLHeadingElement>(null);
  const current = lesson.steps[step];
  const first = step === 0;
  const last = step === lesson.steps.length - 1;

  // A lesson chosen from the list replaces it: focus follows, so that keyboard users carry on from its title.
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (current.explorerTemperature !== undefined) setExplorerTemperature(current.explorerTemperature);
  }, [current]);

  return (
    <div className="lesson">
      <h3 ref={heading} tabIndex={-1}>
        {lesson.title}
      </h3>
      <SetupLine lesson={lesson} />
      <section className="lesson-step" aria-live="polite" aria-atomic="true" aria-label={`Step ${step + 1} of ${lesson.steps.length}`}>
        <h4>
          Step {step + 1} of {lesson.steps.length}: {current.title}
        </h4>
        <p>{current.text}</p>
        {current.look && <LookButton key={step} look={current.look} />}
      </section>
      <div className="button-row">
        <button type="button" onClick={previousStep} aria-disabled={first} className={first ? 'is-disabled' : undefined}>
          Back
        </button>
        <button type="button" onClick={nextStep} aria-disabled={last} className={last ? 'is-disabled' : undefined}>
          Next
        </button>
        <button type="button" className="primary" onClick={runLesson} disabled={!runnable}>
          Run this experiment
        </button>
      </div>
      {running && <p className="lesson-note">A run is going on: Pause and Stop are in the run bar.</p>}
      <LiveComparison lesson={lesson} />
      <button type="button" className="link-button" onClick={leaveLesson}>
        All lessons
      </button>
    </div>
  );
}

function LessonList() {
  const list = useRef<HTMLOListElement>(null);
  // Opened, or back from a lesson: focus on the first lesson, so that keyboard users start from the choice.
  useEffect(() => list.current?.querySelector('button')?.focus(), []);
  return (
    <>
      <p className="lesson-intro">Each lesson sets the studio up, runs with one click and says, step by step, what to look at.</p>
      <ol className="lesson-list" ref={list} aria-label="Choose a lesson">
        {LESSONS.map((l) => (
          <li key={l.id}>
            <button type="button" onClick={() => chooseLesson(l.id)} aria-describedby={`lesson-summary-${l.id}`}>
              {l.title}
            </button>
            <p id={`lesson-summary-${l.id}`}>{l.summary}</p>
          </li>
        ))}
      </ol>
    </>
  );
}

/**
 * The lessons, in a non-modal dialog docked at the side of the page: the charts, the results and the
 * explorer the steps talk about stay in view and usable beside it.
 */
export function LessonsPanel({ onClose }: { onClose: () => void }) {
  const open = useLessons((s) => s.open);
  const lesson = useLessons((s) => currentLesson(s));
  const id = useId();
  if (!open) return null;
  const close = () => {
    closeLessons();
    onClose();
  };
  return (
    <dialog open className="lessons-panel" aria-labelledby={`${id}-title`}>
      <div className="lessons-head">
        <h2 id={`${id}-title`}>Lessons</h2>
        <button type="button" onClick={close}>
          Close lessons
        </button>
      </div>
      {lesson ? <LessonView key={lesson.id} lesson={lesson} /> : <LessonList />}
    </dialog>
  );
}
