import type { Lesson, LessonSettings } from './types';

/** What the page knows of a run: the parts of its configuration a lesson sets. */
export interface RunSettingsLike {
  studentPreset: string;
  loss: { temperature: number; alpha: number };
  transfer: { labelledFraction: number; omitClass: number | null; jitter: number };
}

/** The live run's figures, from the studio's state: the last epoch so far, or the finished run's results. */
export interface LiveFigures {
  teacher: number;
  distilled: number;
  scratch: number;
  /** Set while the run goes on: the figures are the latest epoch's. */
  progress?: { epoch: number; epochs: number };
  omitted?: { distilled: number; scratch: number };
  /** The finished run's distilled student with the omitted class's logit raised (the bias that is best overall). */
  corrected?: { bias: number; onClass: number; overall: number };
}

/** As the page writes them (state/format.ts formatPercent): two decimals. */
export const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;

/**
 * Whether a run used the lesson's settings (its full settings: the studio's defaults with the lesson's
 * over them). Epochs, batch size and seed are free: a shorter run is still this experiment.
 */
export function runMatches(settings: Required<LessonSettings>, run: RunSettingsLike): boolean {
  return (
    run.studentPreset === settings.studentPreset &&
    run.loss.temperature === settings.temperature &&
    run.loss.alpha === settings.alpha &&
    run.transfer.labelledFraction === settings.labelledFraction &&
    run.transfer.omitClass === settings.omitClass &&
    run.transfer.jitter === settings.jitter
  );
}

/** The figures the lesson quotes, with how they were measured. */
export function measuredSentence(lesson: Lesson): string {
  const m = lesson.measured;
  let text = `When this lesson was written: teacher ${percent(m.teacher)}, distilled student ${percent(m.distilled)}, scratch student ${percent(m.scratch)}`;
  if (m.omitted) {
    const o = m.omitted;
    text +=
      `; on the omitted class, distilled ${percent(o.distilled)} and scratch ${percent(o.scratch)},` +
      ` and ${percent(o.corrected)} (${percent(o.correctedOverall)} overall) with the distilled student's bias raised by ${o.bias.toFixed(1)}`;
  }
  return `${text} (${m.how}).`;
}

/** "Your distilled student: 94.40%; the scratch one: 94.25%", and how that compares with the figures quoted. */
export function liveSentence(lesson: Lesson, live: LiveFigures): string {
  const m = lesson.measured;
  const lead = live.progress ? `So far (epoch ${live.progress.epoch} of ${live.progress.epochs}), your` : 'Your';
  let text = `${lead} distilled student: ${percent(live.distilled)}; the scratch one: ${percent(live.scratch)}`;
  const gap = (live.distilled - live.scratch) * 100;
  const measuredGap = (m.distilled - m.scratch) * 100;
  const side = (g: number) => (g >= 0 ? 'ahead' : 'behind');
  text += ` (distilled ${side(gap)} by ${Math.abs(gap).toFixed(2)} points; ${side(measuredGap)} by ${Math.abs(measuredGap).toFixed(2)} when this lesson was written).`;
  if (live.omitted) {
    text += ` On the omitted class: distilled ${percent(live.omitted.distilled)}, scratch ${percent(live.omitted.scratch)}`;
    if (m.omitted) text += ` (${percent(m.omitted.distilled)} and ${percent(m.omitted.scratch)} when written)`;
    text += '.';
  }
  if (live.corrected) {
    text += ` With its bias raised by ${live.corrected.bias.toFixed(1)}: ${percent(live.corrected.onClass)} of them (${percent(live.corrected.overall)} overall)`;
    if (m.omitted) text += `; ${percent(m.omitted.corrected)} when written`;
    text += '.';
  }
  return text;
}
