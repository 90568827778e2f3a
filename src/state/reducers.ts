import type { DataDescriptor } from '../core/experiment';
import { assertNever, type Dropped, type FromWorker } from '../worker/protocol';
import { formatPercent } from './format';
import { NO_EPOCHS, type StudioState } from './store';

/**
 * The studio's answer to each worker message, as pure functions `(state, message) => patch`:
 * no worker, no storage, no timers. What a message does besides (charts, downloads, the library,
 * start-up) is in worker-messages.ts.
 */

export type StudioPatch = Partial<StudioState>;

/** Which pending request each answer belongs to. */
const ANSWERS = {
  dataLoaded: 'dataRequest',
  dataFailed: 'dataRequest',
  dataProgress: 'dataRequest',
  csvPreview: 'dataRequest',
  csvPreviewFailed: 'dataRequest',
  teacherLoaded: 'teacherRequest',
  teacherFailed: 'teacherRequest',
  teacherQuestion: 'teacherRequest',
  teacherProgress: 'teacherRequest',
  studentLoaded: 'studentRequest',
  studentFailed: 'studentRequest',
  exported: 'exportRequest',
  exportFailed: 'exportRequest',
} as const satisfies Partial<Record<FromWorker['type'], keyof StudioState>>;

/**
 * False for the answer to a request the studio no longer waits for (superseded, or sent to a worker
 * that has since been restarted): such answers change nothing and reach no subscriber.
 */
export function isCurrentAnswer(state: StudioState, msg: FromWorker): boolean {
  if (!isAnswer(msg.type) || !('requestId' in msg)) return true;
  const request = state[ANSWERS[msg.type]];
  return request !== null && request.id === msg.requestId;
}

function isAnswer(type: FromWorker['type']): type is keyof typeof ANSWERS {
  return Object.hasOwn(ANSWERS, type);
}

/** What the worker let go, cleared from the page: exactly that, nothing else. */
export function clearDropped(dropped: Dropped): StudioPatch {
  return {
    ...(dropped.teacher && { teacher: null, teacherDescriptor: null }),
    ...(dropped.students && { results: null, distillEpochs: NO_EPOCHS, lastExport: null }),
    ...(dropped.uploadedStudent && { uploadedStudent: null, studentSource: 'preset' as const }),
  };
}

/** A data error, and the reassurance that what the user had is still there. */
function nothingChanged(state: StudioState, message: string): string {
  return `${message} Nothing was changed: ${state.dataset?.name ?? 'the previous data set'} is still loaded.`;
}

const MNIST: DataDescriptor = { kind: 'mnist' };

/** "ensemble of 3, " for an ensemble teacher, so the notice says what became the teacher; nothing otherwise. */
function teacherName(teacher: { members?: unknown[] }): string {
  return teacher.members ? `ensemble of ${teacher.members.length}, ` : '';
}

/** The patch for `msg`; null when it changes nothing in this store. Assumes isCurrentAnswer(state, msg). */
export function reduceStudio(state: StudioState, msg: FromWorker): StudioPatch | null {
  switch (msg.type) {
    case 'ready':
      return { backend: msg.backend, dataset: msg.dataset };
    case 'initFailed':
      return { fatal: msg.message };
    case 'backendChanged':
      // The last run's students, when they could not move, stay in the results: the alert says to save them from the run history.
      return { backend: msg.backend, incident: msg.message, ...clearDropped({ ...msg.dropped, students: false }) };
    case 'metrics':
      return { progress: msg.progress };
    case 'teacherEpoch':
      return { teacherEpochs: [...state.teacherEpochs, msg.summary] };
    case 'distillEpoch':
      return { distillEpochs: [...state.distillEpochs, msg.summary] };
    case 'teacherDone':
      return {
        ...clearDropped(msg.dropped),
        teacher: msg.teacher,
        teacherDescriptor: msg.teacher.descriptor ?? state.run?.teacher ?? null,
        ...(msg.teacher.members && { ensembleMembers: msg.teacher.members }),
        run: null,
        progress: null,
        notice: `Teacher ready: ${teacherName(msg.teacher)}${formatPercent(msg.teacher.testAccuracy)} on the test set.`,
      };
    case 'ensembleMemberDone':
      // Shown as they finish; the worker makes them the members only once all are trained (a stopped run changes nothing).
      return state.run?.ensemble
        ? { run: { ...state.run, ensemble: { size: msg.size, trained: [...state.run.ensemble.trained.slice(0, msg.index), msg.member] } } }
        : null;
    case 'ensembleMembers': {
      const answered = msg.requestId !== undefined && state.ensembleRequest?.id === msg.requestId;
      return {
        ensembleMembers: msg.members,
        ...(answered && { ensembleRequest: null }),
        // A refusal is always said; an answer without one clears the last word.
        ...((answered || msg.message !== undefined) && { ensembleMessage: msg.message ?? null }),
      };
    }
    case 'sweepDone':
      return {
        run: null,
        notice:
          msg.outcome === 'finished'
            ? 'Sweep finished.'
            : `Sweep cancelled after ${msg.runsDone} of ${msg.runsTotal} runs. The finished runs are kept.`,
      };
    case 'repeatDone': {
      const row = { seed: msg.seed, ...msg.result };
      // Each earlier seed's curves make way for the next one's; the last seed's stay with its results.
      const next = msg.index + 1 < msg.repeats;
      return {
        repeatRows: [...(msg.index === 0 ? [] : state.repeatRows.slice(0, msg.index)), row],
        ...(next && { distillEpochs: NO_EPOCHS }),
      };
    }
    case 'generationDone': {
      const g = msg.result.generation;
      return { generationRows: [...(g === 1 ? [] : state.generationRows.slice(0, g - 1)), msg.result] };
    }
    case 'distillDone':
      return { results: msg.results, run: null, progress: null, notice: 'Distillation finished.' };
    case 'paused':
    case 'resumed':
      return state.run ? { run: { ...state.run, status: msg.type === 'paused' ? 'paused' : 'running' } } : null;
    case 'stopped':
      return { run: null, progress: null, notice: 'Run stopped. Everything from before it is kept.' };
    case 'error':
      return { run: null, progress: null, error: msg.message };
    case 'dataLoaded':
      return {
        ...clearDropped(msg.dropped),
        // Curves belong to the data set they were drawn on, whatever the worker held.
        teacherEpochs: [],
        distillEpochs: NO_EPOCHS,
        dataset: msg.dataset,
        // The worker lets the members go with the data set they were fitted to.
        ensembleMembers: [],
        ensembleMessage: null,
        dataDescriptor: state.dataRequest?.descriptor ?? MNIST,
        dataRequest: null,
        dataError: null,
        csvPreview: null,
        notice: `Loaded ${msg.dataset.name}.`,
      };
    case 'dataFailed':
    case 'csvPreviewFailed':
      return { dataRequest: null, dataError: nothingChanged(state, msg.message) };
    case 'dataProgress':
      return state.dataRequest ? { dataRequest: { ...state.dataRequest, done: msg.done, total: msg.total } } : null;
    case 'csvPreview': {
      const file = state.dataRequest?.file;
      return file
        ? {
            dataRequest: null,
            dataError: null,
            csvPreview: { requestId: msg.requestId, file, fileName: msg.fileName, preview: msg.preview },
          }
        : null;
    }
    case 'teacherLoaded':
      return {
        ...clearDropped(msg.dropped),
        teacher: msg.teacher,
        teacherDescriptor: msg.teacher.descriptor ?? state.teacherRequest?.descriptor ?? null,
        ...(msg.teacher.members && { ensembleMembers: msg.teacher.members, ensembleMessage: null }),
        teacherRequest: null,
        teacherError: null,
        teacherQuestion: null,
        notice: `Teacher ready: ${msg.teacher.description}, ${formatPercent(msg.teacher.testAccuracy)} on the test set.`,
      };
    case 'teacherFailed': {
      const error = `${msg.message} ${state.teacher ? 'The previous teacher is still in use.' : ''}`.trim();
      return {
        teacherRequest: null,
        teacherError: error,
        teacherQuestion: null,
        // Combining the members failed: say so where the button was pressed too.
        ...(state.teacherRequest?.descriptor.kind === 'ensemble' && { ensembleMessage: error }),
      };
    }
    case 'teacherQuestion': {
      const files = state.teacherRequest?.files;
      // Nothing changed in the worker: the files wait here for the person's answer, and the request is over.
      return {
        teacherRequest: null,
        teacherError: null,
        teacherQuestion: files ? { files, fileName: msg.fileName, question: msg.question } : null,
      };
    }
    case 'teacherProgress':
      return state.teacherRequest
        ? { teacherRequest: { ...state.teacherRequest, progress: { done: msg.done, total: msg.total, etaSeconds: msg.etaSeconds } } }
        : null;
    case 'studentLoaded':
      return {
        uploadedStudent: { description: msg.description, params: msg.params, fileName: state.studentRequest?.fileName ?? 'student model' },
        studentSource: 'uploaded',
        studentRequest: null,
        studentError: null,
        notice: `Student loaded: ${msg.description}. Both students will start from its weights.`,
      };
    case 'studentFailed':
      return { studentRequest: null, studentError: msg.message };
    case 'exported': {
      const { files, ...exported } = msg.exported;
      if (state.exportRequest?.purpose !== 'download') return { exportRequest: null, exportError: null };
      return { exportRequest: null, exportError: null, lastExport: { ...exported, fileNames: files.map((f) => f.name) } };
    }
    case 'exportFailed':
      return { exportRequest: null, exportError: msg.message };
    // Other stores' messages (bus subscribers), and the heartbeat the client keeps.
    case 'pong':
    case 'sweepRun':
    case 'sizeSweepRun':
    case 'sweepProgress':
    case 'example':
    case 'exampleFailed':
    case 'predictions':
    case 'predictFailed':
    case 'teacherBoundary':
    case 'boundaries':
    case 'synthesis':
      return null;
    default:
      return assertNever(msg);
  }
}
