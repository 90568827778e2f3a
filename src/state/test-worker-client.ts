import type { WorkerClient } from '../worker/client';

/** A worker client that sends nothing, for store tests: each request gets id 0 unless `overrides` answer it. */
export function fakeWorkerClient(overrides: Partial<WorkerClient> = {}): WorkerClient {
  const noop = () => 0;
  return {
    trainTeacher: noop,
    trainEnsemble: noop,
    distill: noop,
    sweep: noop,
    sizeSweep: noop,
    pause: () => {},
    resume: () => {},
    stop: () => {},
    loadData: noop,
    previewCsv: noop,
    loadTeacher: noop,
    addToEnsemble: noop,
    removeFromEnsemble: noop,
    combineMembers: noop,
    loadShippedTeacher: noop,
    loadStudent: noop,
    exportModel: noop,
    getExample: noop,
    predict: noop,
    restart: () => {},
    ...overrides,
  };
}
