/**
 * A guided experiment: plain data, so that it can be checked in Node and shown by the page.
 * Settings name the studio's own (src/state/config.ts StudioConfig); core cannot import the page's
 * types, so the subset a lesson may set is spelled out here and checked against them in the page's tests.
 */
export interface LessonSettings {
  studentPreset?: string;
  studentEpochs?: number;
  batchSize?: number;
  learningRate?: number;
  temperature?: number;
  alpha?: number;
  seed?: number;
  labelledFraction?: number;
  omitClass?: number | null;
  jitter?: number;
}

export interface LessonStep {
  title: string;
  /** What to do and what to look at, in a few sentences. */
  text: string;
  /** The dark-knowledge explorer's temperature to show while this step is on screen. */
  explorerTemperature?: number;
  /** The part of the page the step talks about: the panel offers to scroll there. */
  look?: LookAt;
}

export type LookAt = 'charts' | 'results' | 'explorer' | 'omitted';

/** The figures this studio measured when the lesson was written, and how. */
export interface MeasuredFigures {
  teacher: number;
  distilled: number;
  scratch: number;
  /** Lessons that leave a class out: the share of that class the students recognise. */
  omitted?: { distilled: number; scratch: number; corrected: number; correctedOverall: number; bias: number };
  /** Where the figures come from (seeds, backend, epochs), said with them. */
  how: string;
}

export interface Lesson {
  id: string;
  title: string;
  /** One sentence for the list of lessons. */
  summary: string;
  /** The built-in data set and the shipped teacher the lesson runs on. */
  data: 'mnist';
  teacher: 'mnist-cnn';
  /** Over the studio's defaults: a lesson starts from the default recipe. */
  settings: LessonSettings;
  measured: MeasuredFigures;
  steps: LessonStep[];
}
