import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { Calibration } from '../core/calibrate';
import { parseData } from '../core/experiment-validate';
import type { DataSource } from '../worker/protocol';
import { builtInSource } from './experiment';
import { legacyJsonStorage, savedField } from './persist-storage';

/** What the page remembers between visits besides the settings (store.ts persists those). */

export const DATA_KEY = 'distill-studio-data';

export interface LastData {
  /** The built-in data set in use at the last visit, so that a reload comes back to it. */
  data: DataSource | null;
}

export function restoreLastData(saved: Record<string, unknown>): LastData {
  try {
    return { data: builtInSource(parseData(savedField(saved, 'data'))) };
  } catch {
    return { data: null }; // nothing saved, or saved by an older version: start on MNIST
  }
}

export const useLastData = create<LastData>()(
  persist((): LastData => ({ data: null }), { name: DATA_KEY, storage: legacyJsonStorage<LastData>('data', restoreLastData) }),
);

export const CALIBRATION_KEY = 'distill-studio-calibration';

export interface RememberedCalibration {
  /** The backend speeds measured on an earlier visit (the worker checks they are from this device). */
  calibration: Calibration | null;
}

export function restoreCalibration(saved: Record<string, unknown>): RememberedCalibration {
  const c = savedField(saved, 'calibration');
  const ok =
    typeof c === 'object' &&
    c !== null &&
    'deviceKey' in c &&
    typeof c.deviceKey === 'string' &&
    'results' in c &&
    Array.isArray(c.results);
  return { calibration: ok ? (c as Calibration) : null };
}

export const useCalibration = create<RememberedCalibration>()(
  persist((): RememberedCalibration => ({ calibration: null }), {
    name: CALIBRATION_KEY,
    storage: legacyJsonStorage<RememberedCalibration>('calibration', restoreCalibration),
  }),
);

/** Forgets the measured backend speeds, so that the next start measures again. */
export function forgetCalibration(): void {
  useCalibration.persist.clearStorage();
}
