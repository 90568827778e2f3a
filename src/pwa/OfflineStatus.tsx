import { useSyncExternalStore } from 'react';
import './offline-status.css';
import { getOfflineState, subscribeOffline, type OfflineState } from './register';

/** The words the status line shows (exported for the unit test). Empty on the dev server. */
export function offlineText(s: OfflineState): string {
  if (!s.online) return s.controlled || s.phase === 'ready' ? 'Offline: using the saved copy' : 'Offline';
  switch (s.phase) {
    case 'ready':
      return 'Available offline';
    case 'preparing':
      return `Preparing offline use… ${s.percent}%`;
    case 'failed':
      return 'Not yet available offline: will retry on the next visit';
    case 'unsupported':
      return 'Offline use is not available in this browser';
    case 'off':
      return '';
  }
}

/** Whether the studio works without the network: always present (role "status"), so changes are announced. */
export function OfflineStatus() {
  const s = useSyncExternalStore(subscribeOffline, getOfflineState, getOfflineState);
  const text = offlineText(s);
  return (
    <div role="status" aria-label="Offline readiness" className="offline-status" title={s.error ?? undefined} hidden={text === ''}>
      {text}
    </div>
  );
}
