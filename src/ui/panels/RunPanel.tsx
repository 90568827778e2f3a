import { canStart, pauseRun, resumeRun, startDistill, stopRun, useStudio } from '../../state/store';

export function RunPanel() {
  const run = useStudio((s) => s.run);
  const hasTeacher = useStudio((s) => s.teacher !== null);
  const startable = useStudio(canStart);
  const invalid = Object.values(useStudio((s) => s.invalid));
  return (
    <section className="panel" aria-labelledby="run-heading">
      <h2 id="run-heading">Run</h2>
      <div className="button-row">
        <button type="button" className="primary" onClick={startDistill} disabled={!startable || !hasTeacher}>
          Distill
        </button>
        {run?.status === 'paused' ? (
          <button type="button" onClick={resumeRun}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={pauseRun} disabled={run?.status !== 'running'}>
            Pause
          </button>
        )}
        <button type="button" onClick={stopRun} disabled={!run || run.status === 'stopping'}>
          Stop
        </button>
      </div>
      {!hasTeacher && !run && <p className="field-help">Distill needs a teacher: train one above.</p>}
      {invalid.length > 0 && <p className="field-error">Fix the settings first: {invalid.join(' ')}</p>}
    </section>
  );
}
