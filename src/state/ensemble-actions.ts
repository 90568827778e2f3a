import { ENSEMBLE_MAX_MEMBERS, ENSEMBLE_MIN_MEMBERS, type TeacherDescriptor } from '../core/experiment';
import { teacherRunConfig } from './config';
import { canStart } from './run-actions';
import { useStudio, type StudioState } from './store';
import { useWorkerSession } from './worker-session';

/** Ensembles: gather teachers as members, combine them into the teacher, or train N of one preset at once. */

const set = useStudio.setState;
const get = useStudio.getState;

/** Why the ensemble's buttons are off, or null when nothing stands in the way. */
export function addRefusal(s: Pick<StudioState, 'teacher' | 'ensembleMembers'>): string | null {
  if (!s.teacher) return 'Load or train a teacher first: the current teacher is what joins the ensemble.';
  if (s.ensembleMembers.length >= ENSEMBLE_MAX_MEMBERS) return `An ensemble has at most ${ENSEMBLE_MAX_MEMBERS} members.`;
  return null;
}

export function combineRefusal(s: Pick<StudioState, 'ensembleMembers'>): string | null {
  const n = s.ensembleMembers.length;
  if (n < ENSEMBLE_MIN_MEMBERS) return `An ensemble needs at least ${ENSEMBLE_MIN_MEMBERS} members (it has ${n}).`;
  if (n > ENSEMBLE_MAX_MEMBERS) return `An ensemble has at most ${ENSEMBLE_MAX_MEMBERS} members (it has ${n}).`;
  return null;
}

/** Nothing else in flight: ensemble requests wait like every other one. */
export function canAskEnsemble(s: StudioState): boolean {
  return canStart(s) && s.ensembleRequest === null;
}

function ask(label: string, send: () => number | undefined): void {
  const id = send();
  if (id !== undefined) set({ ensembleRequest: { id, label }, ensembleMessage: null });
}

export function addTeacherToEnsemble(): void {
  const s = get();
  const client = useWorkerSession.getState().client;
  if (!client || !canAskEnsemble(s) || addRefusal(s)) return;
  ask('Adding the teacher', () => client.addToEnsemble());
}

/** `index`: 0-based, as the worker counts (the page shows member index + 1). */
export function removeEnsembleMember(index: number): void {
  const s = get();
  const client = useWorkerSession.getState().client;
  if (!client || !canAskEnsemble(s)) return;
  ask(`Removing member ${index + 1}`, () => client.removeFromEnsemble(index));
}

/** The members become the teacher, combined as the settings say; answered as a teacher load is. */
export function combineEnsemble(): void {
  const s = get();
  const client = useWorkerSession.getState().client;
  if (!client || !canAskEnsemble(s) || combineRefusal(s)) return;
  const combine = s.config.ensembleCombine;
  const id = client.combineMembers(combine);
  const members = s.ensembleMembers.map((m) => m.descriptor).filter((d): d is TeacherDescriptor => d !== undefined);
  set({
    teacherRequest: {
      id,
      label: `Combining ${s.ensembleMembers.length} teachers`,
      // The worker's own descriptor replaces this one when it answers (it names every member).
      descriptor: { kind: 'ensemble', combine, members },
    },
    teacherError: null,
    ensembleMessage: null,
  });
}

/** Trains `ensembleSize` teachers of the chosen preset and epochs, seeds 1..N; progress in the run bar, as a teacher run. */
export function trainEnsemble(): void {
  const s = get();
  const { client, series } = useWorkerSession.getState();
  if (!client || !canAskEnsemble(s)) return;
  series.resetTeacher();
  const config = teacherRunConfig(s.config);
  const size = s.config.ensembleSize;
  const combine = s.config.ensembleCombine;
  const id = client.trainEnsemble(config, size, combine);
  const members: TeacherDescriptor[] = Array.from({ length: size }, (_, i) => ({ kind: 'preset', ...config, seed: i + 1 }));
  set({
    run: { id, kind: 'teacher', status: 'running', teacher: { kind: 'ensemble', combine, members }, ensemble: { size, trained: [] } },
    teacherEpochs: [],
    ensembleMessage: null,
    error: null,
    notice: null,
    incident: null,
    progress: null,
  });
}
