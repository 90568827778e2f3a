import { dismissIncident, restartWorker } from '../state/startup';
import { useStudio } from '../state/store';

/**
 * Faults the studio recovered from, and a worker that has gone quiet. A backend that failed
 * mid-run or a restarted worker is an alert until dismissed or the next run; a silent worker is
 * only reported, with a button to restart it (a long kernel on a software GPU looks the same).
 */
export function FaultMessages() {
  const incident = useStudio((s) => s.incident);
  const silent = useStudio((s) => s.workerSilent);
  return (
    <>
      {incident && (
        <div role="alert" className="message warning" aria-label="What happened">
          {incident}{' '}
          <button type="button" className="link-button" onClick={dismissIncident}>
            Dismiss
          </button>
        </div>
      )}
      {silent !== null && (
        <div role="alert" className="message warning" aria-label="Worker not responding">
          The training worker has not answered for {silent} s. It may be busy with one long computation (a software-emulated GPU can take
          minutes), or stuck.{' '}
          <button type="button" onClick={restartWorker}>
            Restart the worker
          </button>{' '}
          (the run in progress would be lost).
        </div>
      )}
    </>
  );
}
