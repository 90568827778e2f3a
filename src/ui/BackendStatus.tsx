import { measureBackendsAgain } from '../state/startup';
import { useStudio } from '../state/store';

/** Which backend trains, and why: always visible (role "status"). */
export function BackendStatus() {
  const backend = useStudio((s) => s.backend);
  const fatal = useStudio((s) => s.fatal);
  return (
    <div role="status" aria-label="Backend" className="backend-status" title={backend?.detail}>
      {backend ? (
        <>
          Backend: <strong>{backend.name}</strong>
          {backend.threads !== undefined && ` (${backend.threads} ${backend.threads === 1 ? 'thread' : 'threads'})`}{' '}
          <span className="backend-reason">— {backend.reason}</span>
          {backend.calibration && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={measureBackendsAgain}>
                Measure again
              </button>
            </>
          )}
        </>
      ) : fatal ? (
        'Backend: none'
      ) : (
        'Backend: choosing (testing webgpu, webgl, wasm, cpu; a hardware GPU is timed against wasm once per device)…'
      )}
    </div>
  );
}
