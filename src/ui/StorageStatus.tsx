import { useEffect } from 'react';
import { refreshStorageInfo, storageLine, useStorageInfo } from '../state/storage';

/** Whether the browser may clear what the studio keeps (library, runs), and how much of its quota is used. */
export function StorageStatus() {
  const info = useStorageInfo();
  useEffect(() => void refreshStorageInfo(), []);
  return (
    <p className="field-help storage-status" data-testid="storage-status">
      {storageLine(info)}
    </p>
  );
}
