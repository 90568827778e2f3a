import { create } from 'zustand';
import { bestBias } from '../core/analysis/bias';
import { runMatches, type LiveFigures } from '../core/lessons/compare';
import { LESSONS, lessonById } from '../core/lessons/lessons';
import type { Lesson, LessonSettings } from '../core/lessons/types';
import { STUDENT_PRESETS } from '../core/presets';
import { defaultShippedTeacher } from '../core/shipped';
import { TEST_HOOKS } from '../core/test-hooks';
import { DEFAULT_CONFIG, distillRunConfig, type StudioConfig } from './config';
import { requestData, requestShippedTeacher } from './load-actions';
import { canStart, startDistill } from './run-actions';
import { useStudio, type StudioState } from './store';

/**
 * The lessons panel: which lesson is open, at which step, and how far the studio is set up for it.
 * Choosing a lesson sets the studio up (settings, MNIST, the shipped teacher); "Run this experiment"
 * then calls the same Distill as the run bar, so the lesson's run is an ordinary run.
 */
export type LessonSetup = 'idle' | 'loading' | 'ready' | 'failed';

export interface LessonState {
  open: boolean;
  lessonId: string | null;
  step: number;
  setup: LessonSetup;
  /** Why the set-up failed, said in the panel. */
  message: string | null;
  /** What the set-up has asked the worker for, so that a refused or failed load is not asked again in a loop. */
  asked: { data: boolean; teacher: boolean };
}

const NOT_ASKED = { data: false, teacher: false };

export const useLessons = create<LessonState>()(() => ({
  open: false,
  lessonId: null,
  step: 0,
  setup: 'idle',
  message: null,
  asked: NOT_ASKED,
}));

const set = useLessons.setState;
const get = useLessons.getState;

/** The lesson's settings in full: the studio's defaults with the lesson's over them. */
export function lessonSettings(lesson: Lesson): Required<LessonSettings> {
  const d = DEFAULT_CONFIG;
  return {
    studentPreset: d.studentPreset,
    studentEpochs: d.studentEpochs,
    batchSize: d.batchSize,
    learningRate: d.learningRate,
    temperature: d.temperature,
    alpha: d.alpha,
    seed: d.seed,
    labelledFraction: d.labelledFraction,
    omitClass: d.omitClass,
    jitter: d.jitter,
    ...lesson.settings,
  };
}

/** The studio's settings for a lesson: the default recipe (loss terms and hints off) with the lesson's changes. */
export function lessonConfig(lesson: Lesson): StudioConfig {
  const { studentPreset, ...rest } = lessonSettings(lesson);
  const preset = STUDENT_PRESETS.find((p) => p.id === studentPreset);
  if (!preset) throw new Error(`Lesson ${lesson.id}: unknown student preset ${studentPreset}.`);
  return { ...DEFAULT_CONFIG, ...rest, studentPreset: preset.id };
}

export function currentLesson(s: Pick<LessonState, 'lessonId'> = get()): Lesson | null {
  return s.lessonId === null ? null : (lessonById(s.lessonId) ?? null);
}

export function openLessons(): void {
  set({ open: true });
}

export function closeLessons(): void {
  set({ open: false });
}

/** Back to the list of lessons; the studio keeps its settings. */
export function leaveLesson(): void {
  set({ lessonId: null, step: 0, setup: 'idle', message: null, asked: NOT_ASKED });
}

export function chooseLesson(id: string): void {
  const lesson = lessonById(id);
  if (!lesson) return;
  set({ open: true, lessonId: id, step: 0 });
  setUpLesson(lesson);
}

export function goToStep(step: number): void {
  const lesson = currentLesson();
  if (!lesson) return;
  set({ step: Math.max(0, Math.min(lesson.steps.length - 1, step)) });
}

export function nextStep(): void {
  goToStep(get().step + 1);
}

export function previousStep(): void {
  goToStep(get().step - 1);
}

/** Sets the studio up for the lesson: its settings now, then the data set and teacher it needs, if they are not loaded. */
export function setUpLesson(lesson: Lesson): void {
  if (useStudio.getState().run) {
    set({ setup: 'failed', message: 'A run is going on: stop it, then choose the lesson again.', asked: NOT_ASKED });
    return;
  }
  const config = lessonConfig(lesson);
  // Test-only: ?lessonEpochs=N shortens a lesson's run so that the e2e can follow one to its end.
  if (TEST_HOOKS && typeof location !== 'undefined') {
    const epochs = Number(new URLSearchParams(location.search).get('lessonEpochs'));
    if (Number.isInteger(epochs) && epochs >= 1) config.studentEpochs = epochs;
  }
  useStudio.setState({ config, invalid: {}, studentSource: 'preset' });
  set({ setup: 'loading', message: null, asked: NOT_ASKED });
  advanceSetup();
}

/** The shipped teacher the lesson wants here: a light one where the GPU is emulated in software (the CNN takes minutes there). */
function wantedTeacher(lesson: Lesson, s: StudioState): string {
  const software = /software/i.test(s.backend?.detail ?? '');
  return software ? (defaultShippedTeacher('mnist', 10, true)?.id ?? lesson.teacher) : lesson.teacher;
}

/** One step of the set-up, run again whenever the studio's state changes until the lesson is ready or failed. */
function advanceSetup(): void {
  const { setup, asked } = get();
  const lesson = currentLesson();
  if (setup !== 'loading' || !lesson) return;
  const s = useStudio.getState();
  if (s.dataRequest || s.teacherRequest || s.backend === null) return;
  const fail = (message: string) => set({ setup: 'failed', message });
  if (s.dataDescriptor.kind !== 'mnist' || s.dataset === null) {
    if (asked.data) {
      fail(s.dataError ?? 'MNIST-10k could not be loaded.');
      return;
    }
    set({ asked: { ...asked, data: true } });
    if (!requestData({ kind: 'mnist' }, 'MNIST-10k digits')) fail('MNIST-10k could not be loaded: a run is going on.');
    return;
  }
  const teacherId = wantedTeacher(lesson, s);
  const d = s.teacherDescriptor;
  if (!s.teacher || d?.kind !== 'shipped' || d.id !== teacherId) {
    if (asked.teacher) {
      fail(s.teacherError ?? 'The shipped teacher could not be loaded.');
      return;
    }
    set({ asked: { ...asked, teacher: true } });
    if (!requestShippedTeacher(teacherId)) fail('The shipped teacher could not be loaded.');
    return;
  }
  set({ setup: 'ready', message: null });
}

useStudio.subscribe(advanceSetup);

export function canRunLesson(s: StudioState, lessons: Pick<LessonState, 'setup'>): boolean {
  return lessons.setup === 'ready' && canStart(s) && s.teacher !== null;
}

/** "Run this experiment": the run bar's Distill, with the settings the lesson set (and whatever the person changed since). */
export function runLesson(): void {
  if (canRunLesson(useStudio.getState(), get())) startDistill();
}

/**
 * The live run's figures for the lesson, from the studio's state: the finished run's results, or the
 * latest epoch while it runs; null when there is no run yet or it used other settings than the lesson's.
 */
export function liveFigures(s: StudioState, lesson: Lesson): LiveFigures | null {
  const settings = lessonSettings(lesson);
  const last = s.distillEpochs.at(-1);
  const omitted = last?.omitted && { distilled: last.omitted.distilledAccuracy, scratch: last.omitted.scratchAccuracy };
  if (s.results) {
    if (!runMatches(settings, s.results.config)) return null;
    const { teacher, distilled, scratch, testOutputs, config } = s.results;
    const classIndex = config.transfer.omitClass;
    const best =
      classIndex !== null && testOutputs ? bestBias(testOutputs.distilled, testOutputs.labels, testOutputs.numClasses, classIndex) : null;
    return {
      teacher: teacher.testAccuracy,
      distilled: distilled.testAccuracy,
      scratch: scratch.testAccuracy,
      ...(omitted && { omitted }),
      ...(best && { corrected: { bias: best.bias, onClass: best.onClass, overall: best.overall } }),
    };
  }
  if (s.run?.kind !== 'distill' || !last || !runMatches(settings, distillRunConfig(s.config, s.studentSource))) return null;
  return {
    teacher: last.teacherAccuracy,
    distilled: last.distilledAccuracy,
    scratch: last.scratchAccuracy,
    progress: { epoch: last.epoch, epochs: s.progress?.epochs ?? s.config.studentEpochs },
    ...(omitted && { omitted }),
  };
}

export { LESSONS };
