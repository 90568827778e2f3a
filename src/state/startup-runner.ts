import { requestData, requestShippedTeacher } from './load-actions';
import { applySharedExperiment, forgetSharedLink, sharedLinkFailed } from './share-actions';
import { transition, type StartupEffect, type StartupEvent } from './startup-machine';
import { useWorkerSession } from './worker-session';

/** Moves the start-up machine (startup-machine.ts) held in the worker session, and carries out its effects. */
export function dispatchStartup(event: StartupEvent): void {
  const { state, effects } = transition(useWorkerSession.getState().startup, event);
  useWorkerSession.setState({ startup: state });
  for (const effect of effects) carryOut(effect);
}

function carryOut(effect: StartupEffect): void {
  switch (effect.type) {
    case 'applyShared':
      forgetSharedLink();
      applySharedExperiment(effect.experiment);
      break;
    case 'sharedLinkFailed':
      forgetSharedLink();
      sharedLinkFailed(effect.error);
      break;
    case 'loadData':
      // Refused (a run started meanwhile): start-up goes on without it, as after a failed load.
      if (!requestData(effect.source, effect.label)) dispatchStartup({ type: 'dataFailed' });
      break;
    case 'loadShippedTeacher':
      if (!requestShippedTeacher(effect.id)) dispatchStartup({ type: 'teacherSettled' });
      break;
  }
}
