import type { ExperimentConfig } from '../core/experiment';
import { currentExperiment } from './experiment';
import { settingsFromExperiment, shareHash } from './share';
import { useStudio, type StudioState } from './store';

/** Sharing an experiment as a link, and opening one (start-up applies it: startup-machine.ts). */

/** The experiment the Distill button would run now, as one object (null while there is no teacher). */
export function experimentOf(
  s: Pick<StudioState, 'config' | 'dataDescriptor' | 'dataset' | 'teacherDescriptor' | 'teacher' | 'studentSource' | 'uploadedStudent'>,
): ExperimentConfig | null {
  return currentExperiment(
    s.config,
    { descriptor: s.dataDescriptor, summary: s.dataset },
    // The worker names ONNX, Teachable Machine and ensemble teachers itself (a model's hash, every member).
    { descriptor: s.teacher?.descriptor ?? s.teacherDescriptor, canHint: s.teacher?.hintLayers != null },
    { source: s.studentSource, fileName: s.uploadedStudent?.fileName },
  );
}

/** A link that opens the studio set up for the current experiment. */
export function shareLink(experiment: ExperimentConfig): string {
  return `${location.origin}${location.pathname}${shareHash(experiment)}`;
}

/** The studio's settings as a shared experiment has them, with what the person must still do by hand. */
export function applySharedExperiment(experiment: ExperimentConfig): void {
  const { config, todo } = settingsFromExperiment(experiment, useStudio.getState().config);
  useStudio.setState({ config, invalid: {}, studentSource: 'preset', notice: ['Opened the shared experiment.', ...todo].join(' ') });
}

export function sharedLinkFailed(error: string): void {
  useStudio.setState({ error: `${error} Nothing was changed.` });
}

/** Drops the shared link's hash once it is read, so that a reload keeps later changes. */
export function forgetSharedLink(): void {
  history.replaceState(null, '', location.pathname + location.search);
}
