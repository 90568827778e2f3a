import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { SweepProgress, SweepRunResult, SweepSpec } from '../core/sweep';
import { startSweep, stopRun } from './run-actions';
import { useStudio } from './store';
import { studioBus } from './worker-session';
import { legacyJsonStorage, savedField } from './persist-storage';
import { defaultSweepForm, restoreSweepForm, sweepFormSpec, type SweepForm } from './sweep-form';

export type SweepStatus = 'running' | 'finished' | 'cancelled' | 'failed';

export interface Sweep {
  runId: number;
  spec: SweepSpec;
  /** What the sweep ran on, for the heatmap's caption: results outlive a change of data set or teacher. */
  context: string;
  results: SweepRunResult[];
  progress: SweepProgress | null;
  status: SweepStatus;
}

export interface SweepState {
  form: SweepForm;
  sweep: Sweep | null;
  /** Student-training samples a second of the latest distillation or sweep, for time estimates. */
  samplesPerSec: number | null;
}

const FORM_KEY = 'distill-studio-sweep';

/** The form as the last visit left it (older versions saved the bare form under the same key), over the defaults. */
function restoreForm(saved: Record<string, unknown>): { form: SweepForm } {
  return { form: restoreSweepForm(savedField(saved, 'form'), defaultSweepForm(useStudio.getState().config.studentPreset)) };
}

// Only the form persists: a sweep's results are this visit's.
export const useSweep = create<SweepState>()(
  persist((): SweepState => ({ form: defaultSweepForm(useStudio.getState().config.studentPreset), sweep: null, samplesPerSec: null }), {
    name: FORM_KEY,
    storage: legacyJsonStorage<{ form: SweepForm }>('form', restoreForm),
    partialize: (s) => ({ form: s.form }),
  }),
);

const set = useSweep.setState;

function updateSweep(runId: number, change: (sweep: Sweep) => Partial<Sweep>): void {
  set((s) => (s.sweep?.runId === runId ? { sweep: { ...s.sweep, ...change(s.sweep) } } : {}));
}

studioBus().on('sweepRun', (msg) => updateSweep(msg.runId, (sweep) => ({ results: [...sweep.results, msg.result] })));
studioBus().on('sweepProgress', (msg) => {
  updateSweep(msg.runId, () => ({ progress: msg.progress }));
  if (msg.progress.samplesPerSec > 0) set({ samplesPerSec: msg.progress.samplesPerSec });
});
// Heard before the studio sees the run end (worker-messages.ts), so the sweep is not first marked failed.
studioBus().on('sweepDone', (msg) => updateSweep(msg.runId, () => ({ status: msg.outcome })));

useStudio.subscribe((s, prev) => {
  // A single run's speed is the best guess for a sweep's, before the sweep measures its own.
  if (s.progress !== prev.progress && s.progress?.phase === 'distill' && s.progress.samplesPerSec > 0)
    set({ samplesPerSec: s.progress.samplesPerSec });
  // The run ended without "sweepDone" (an error, or the worker crashed): what finished is kept.
  const ended = prev.run?.kind === 'sweep' && s.run?.id !== prev.run.id ? prev.run.id : null;
  if (ended !== null) updateSweep(ended, (sweep) => (sweep.status === 'running' ? { status: 'failed' } : {}));
});

export function setSweepForm(change: Partial<SweepForm>): void {
  set((s) => ({ form: { ...s.form, ...change } }));
}

/** Starts the sweep the form describes, if it is valid and nothing else runs. */
export function runSweepFromForm(): void {
  const studio = useStudio.getState();
  const { spec } = sweepFormSpec(useSweep.getState().form, studio.config.seed);
  if (!spec) return;
  const runId = startSweep(spec);
  if (runId === null) return;
  const context = [
    studio.dataset?.name,
    studio.teacher && `teacher ${studio.teacher.description}`,
    `${studio.config.studentEpochs} epoch${studio.config.studentEpochs === 1 ? '' : 's'} per run`,
  ]
    .filter(Boolean)
    .join(', ');
  set({ sweep: { runId, spec, context, results: [], progress: null, status: 'running' } });
}

export function cancelSweep(): void {
  const run = useStudio.getState().run;
  if (run?.kind === 'sweep') stopRun();
}
