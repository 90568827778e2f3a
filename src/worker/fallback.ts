import { errorText, selectFallback, type BackendEnv, type BackendInfo } from '../core/backend';
import { captureWeights, disposeQuietly, restoreModel } from '../core/checkpoint';
import type { BackendFailure } from '../core/faults';
import { disposeTensors, toTensors } from '../core/tensors';
import { moveEnsembleMembers } from './ensembles';
import type { Dropped } from './protocol';
import { session } from './session';

/**
 * Moving the worker's session to another tfjs backend after the active one failed mid-run.
 * A tensor belongs to the backend that made it, so after the switch every tensor of the old
 * backend is made again on the new one, from copies in JS memory: the data tensors from the data
 * set, the teacher from its files or its last weights, an uploaded student from its files. The
 * last run's students have no other copy: their weights are read off the old backend if it still
 * answers. Run models (the students being trained) come back from the run's own checkpoint.
 */

/**
 * Re-creates the session on the active backend (`backend`, already switched to and smoke-tested)
 * and frees the old backend's tensors. Returns one sentence per thing that could not be moved
 * (it is dropped, and the sentence says what the user can do).
 */
export async function moveSessionTo(backend: BackendInfo): Promise<string[]> {
  const lost: string[] = [];
  if (session.dataset) {
    const old = session.data;
    session.data = toTensors(session.dataset);
    if (old) disposeQuietly({ dispose: () => disposeTensors(old) });
  }
  const teacher = session.teacher;
  if (teacher) {
    session.teacher = null;
    try {
      if (!teacher.recreate) throw new Error('there is no copy of it outside the failed backend');
      session.teacher = await teacher.recreate();
    } catch (e) {
      lost.push(`the teacher could not be moved (${errorText(e)}): load or train it again`);
    }
    disposeQuietly(teacher);
  }
  await moveEnsembleMembers({ from: teacher, to: session.teacher }, lost);
  const init = session.studentInit;
  if (init) {
    session.studentInit = null;
    try {
      if (!init.reimport) throw new Error('there is no copy of it outside the failed backend');
      session.studentInit = { ...init, model: await init.reimport() };
    } catch (e) {
      lost.push(`the uploaded student could not be moved (${errorText(e)}): upload it again`);
    }
    disposeQuietly(init.model);
  }
  const students = session.students;
  if (students) {
    session.students = null;
    try {
      const distilled = await restoreModel(students.distilled, await captureWeights(students.distilled));
      try {
        session.students = { distilled, scratch: await restoreModel(students.scratch, await captureWeights(students.scratch)) };
      } catch (e) {
        distilled.dispose();
        throw e;
      }
    } catch (e) {
      lost.push(`the last run's students could not be moved (${errorText(e)}): save them from the run history instead`);
    }
    disposeQuietly(students.distilled, students.scratch);
  }
  session.backend = backend;
  return lost;
}

export interface FallbackOutcome {
  /** The backend the session is on now. */
  backend: BackendInfo;
  /** What could not be moved (see moveSessionTo). */
  lost: string[];
  /** What the session had and no longer has, so the page can stop offering it. */
  dropped: Dropped;
}

/**
 * After `failure` of the active backend: the next backend that works (selectBackend's fallback
 * order, skipping every backend that failed in this worker) is made active and the session moved
 * to it. Throws, saying which backends were tried, when none works: the failed backend is then
 * made active again, and the session keeps what it had there.
 */
export async function fallBack(env: BackendEnv, failure: BackendFailure): Promise<FallbackOutcome> {
  const failed = session.backend?.name;
  if (!failed) throw new Error(`The backend failed (${failure.reason}) before the studio knew which one it was.`);
  if (!session.failedBackends.includes(failed)) session.failedBackends.push(failed);
  let next: BackendInfo;
  try {
    next = await selectFallback(env, failed, failure.reason, session.failedBackends);
  } catch (e) {
    await env.activate(failed).catch(() => false);
    throw e;
  }
  const had = { teacher: session.teacher !== null, uploadedStudent: session.studentInit !== null, students: session.students !== null };
  const lost = await moveSessionTo(next);
  const dropped = {
    teacher: had.teacher && !session.teacher,
    uploadedStudent: had.uploadedStudent && !session.studentInit,
    students: had.students && !session.students,
  };
  return { backend: next, lost, dropped };
}
