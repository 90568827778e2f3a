import type { FromWorker } from '../worker/protocol';
import { emitWorkerMessage } from './bus';
import { saveFiles } from './download';
import { keepInLibrary } from './library-actions';
import { isCurrentAnswer, reduceStudio } from './reducers';
import { useCalibration, useLastData } from './remembered';
import { dispatchStartup } from './startup-runner';
import { useStudio, type StudioState } from './store';
import { useWorkerSession } from './worker-session';

/**
 * Every message of the worker, once: answers the studio no longer waits for are dropped; the rest
 * go out on the bus (other stores first, so that the sweep store hears "done" before it sees the
 * run end), change the studio through its reducer, and then do what a reducer cannot.
 */
export function handleWorkerMessage(msg: FromWorker): void {
  const before = useStudio.getState();
  if (!isCurrentAnswer(before, msg)) return;
  emitWorkerMessage(useWorkerSession.getState().bus, msg.type, msg);
  const patch = reduceStudio(before, msg);
  if (patch) useStudio.setState(patch);
  afterMessage(before, msg);
}

/** The side of a message that is not state: loss series, downloads, the library, start-up, what is remembered. */
function afterMessage(before: StudioState, msg: FromWorker): void {
  const { series, bus } = useWorkerSession.getState();
  switch (msg.type) {
    case 'ready':
      if (msg.backend.calibration) useCalibration.setState({ calibration: msg.backend.calibration });
      dispatchStartup({ type: 'workerReady', lastData: useLastData.getState().data });
      break;
    case 'initFailed':
      dispatchStartup({ type: 'workerFailed', reason: msg.message });
      break;
    case 'metrics':
      if (msg.losses?.kind === 'teacher') series.addTeacher(msg.losses.points);
      else if (msg.losses?.kind === 'distill') series.addDistill(msg.losses.points);
      break;
    case 'teacherDone':
      if (msg.dropped.students) series.resetDistill();
      break;
    case 'distillDone':
      bus.emit('runFinished', {
        run: {
          results: msg.results,
          epochs: before.distillEpochs,
          loss: series.distillSnapshot(),
          experiment: before.run?.experiment ?? null,
          dataset: before.dataset?.name ?? '',
        },
        student: msg.student,
      });
      break;
    case 'repeatDone':
      if (msg.index + 1 < msg.repeats) series.resetDistill();
      break;
    case 'dataLoaded':
      series.resetTeacher();
      series.resetDistill();
      dispatchStartup({ type: 'dataLoaded' });
      break;
    case 'dataFailed':
      dispatchStartup({ type: 'dataFailed' });
      break;
    case 'teacherLoaded':
      if (msg.dropped.students) series.resetDistill();
      dispatchStartup({ type: 'teacherSettled' });
      break;
    case 'teacherFailed':
      dispatchStartup({ type: 'teacherSettled' });
      break;
    case 'exported': {
      const purpose = before.exportRequest?.purpose;
      if (purpose === 'download') saveFiles(msg.exported.files);
      else if (purpose) void keepInLibrary(purpose.libraryName, msg.exported, before.dataset?.name ?? '');
      break;
    }
    default:
      break; // the reducer and the bus were all it needed
  }
}
