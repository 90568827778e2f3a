import type { SweepSpec } from '../core/sweep';
import { distillRunConfig, fitToData, teacherRunConfig } from './config';
import { defaultRunName } from './run-record';
import { experimentOf } from './share-actions';
import { NO_EPOCHS, useStudio, type StudioState } from './store';
import { useWorkerSession } from './worker-session';

/** Runs: train a teacher, distil, sweep; pause, resume, stop. */

const set = useStudio.setState;
const get = useStudio.getState;

export function canStart(s: StudioState): boolean {
  const busy = s.run || s.dataRequest || s.teacherRequest || s.studentRequest || s.exportRequest;
  return !busy && !s.fatal && s.backend !== null && Object.keys(s.invalid).length === 0;
}

/** A new run clears the last one's messages. */
const FRESH = { error: null, notice: null, incident: null, progress: null } as const;

export function trainTeacher(): void {
  const s = get();
  const { client, series } = useWorkerSession.getState();
  if (!client || !canStart(s)) return;
  series.resetTeacher();
  const config = teacherRunConfig(s.config);
  const id = client.trainTeacher(config);
  set({ run: { id, kind: 'teacher', status: 'running', teacher: { kind: 'preset', ...config } }, teacherEpochs: [], ...FRESH });
}

/** Queues a sweep in the worker from the current settings; null when nothing could start. */
export function startSweep(spec: SweepSpec): number | null {
  const s = get();
  const { client } = useWorkerSession.getState();
  if (!client || !canStart(s) || !s.teacher) return null;
  const id = client.sweep(distillRunConfig(s.config, 'preset'), spec);
  set({ run: { id, kind: 'sweep', status: 'running' }, ...FRESH });
  return id;
}

export function startDistill(): void {
  const s = get();
  const { client, series } = useWorkerSession.getState();
  if (!client || !canStart(s) || !s.teacher) return;
  series.resetDistill();
  const experiment = experimentOf(s);
  const asked = distillRunConfig(s.config, s.studentSource);
  const config = s.dataset ? fitToData(asked, s.dataset, s.teacher.hintLayers !== null) : asked;
  // The worker keeps the student in the library under the run's name when the run ends.
  const id = client.distill(config, { name: defaultRunName(config, experiment), dataset: s.dataset?.name ?? '' });
  set({
    run: { id, kind: 'distill', status: 'running', experiment },
    distillEpochs: NO_EPOCHS,
    results: null,
    generationRows: [],
    ...FRESH,
  });
}

export function pauseRun(): void {
  const run = get().run;
  const client = useWorkerSession.getState().client;
  if (client && run?.status === 'running') client.pause(run.id);
}

export function resumeRun(): void {
  const run = get().run;
  const client = useWorkerSession.getState().client;
  if (client && run?.status === 'paused') client.resume(run.id);
}

export function stopRun(): void {
  const run = get().run;
  const client = useWorkerSession.getState().client;
  if (client && run) {
    client.stop(run.id);
    set({ run: { ...run, status: 'stopping' } });
  }
}
