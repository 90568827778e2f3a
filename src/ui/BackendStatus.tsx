import { useStudio } from '../state/store';

/** Which backend trains, and why: always visible (role "status"). */
export function BackendStatus() {
  const backend = useStudio((s) => s.backend);
  const fatal = useStudio((s) => s.fatal);
  return (
    <div role="status" aria-label="Backend" className="backend-status" title={backend?.detail}>
      {backend ? (
        <>
          Backend: <strong>{backend.name}</strong> <span className="backend-reason">— {backend.reason}</span>
        </>
      ) : fatal ? (
        'Backend: none'
      ) : (
        'Backend: choosing (testing webgpu, webgl, wasm, cpu)…'
      )}
    </div>
  );
}
