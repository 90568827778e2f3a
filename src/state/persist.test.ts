import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from './config';

/** localStorage as the browser has it, recording writes. */
class FakeStorage {
  items = new Map<string, string>();
  writes: string[] = [];
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.writes.push(key);
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

/** The stores as a fresh page load creates them, over what `saved` holds. */
async function load(saved: Record<string, string>) {
  const storage = new FakeStorage();
  for (const [k, v] of Object.entries(saved)) storage.items.set(k, v);
  vi.stubGlobal('localStorage', storage);
  vi.resetModules();
  return { storage, ...(await import('./store')), ...(await import('./remembered')), ...(await import('./settings-actions')) };
}

beforeEach(() => vi.resetModules());
afterEach(() => vi.unstubAllGlobals());

describe('settings persist (distill-studio-config)', () => {
  it('a visitor who saved settings in the old format (the bare config) gets them back', async () => {
    const { useStudio } = await load({
      'distill-studio-config': JSON.stringify({ ...DEFAULT_CONFIG, temperature: 7, studentPreset: 'mlp-32' }),
    });
    expect(useStudio.getState().config).toEqual({ ...DEFAULT_CONFIG, temperature: 7, studentPreset: 'mlp-32' });
  });

  it('writes { state: { config }, version } under the same key, and reads it back', async () => {
    const first = await load({});
    first.setSetting('alpha', 0.5);
    const text = first.storage.items.get('distill-studio-config') ?? '';
    expect(JSON.parse(text)).toEqual({ state: { config: { ...DEFAULT_CONFIG, alpha: 0.5 } }, version: 0 });
    const again = await load({ 'distill-studio-config': text });
    expect(again.useStudio.getState().config.alpha).toBe(0.5);
  });

  it('writes only when the settings change, not on every metric update', async () => {
    const { useStudio, setSetting, storage } = await load({});
    setSetting('alpha', 0.5);
    const writes = storage.writes.length;
    for (let i = 0; i < 10; i++) useStudio.setState({ workerSilent: i });
    expect(storage.writes.length).toBe(writes);
  });

  it.each([['not JSON {'], ['"a string"'], ['[1,2]'], ['{"state": 3, "version": 0}']])(
    'a damaged entry (%s) gives the defaults',
    async (text) => {
      const { useStudio } = await load({ 'distill-studio-config': text });
      expect(useStudio.getState().config).toEqual(DEFAULT_CONFIG);
    },
  );

  it('a damaged value gives that setting’s default and keeps the rest', async () => {
    const { useStudio } = await load({
      'distill-studio-config': JSON.stringify({ state: { config: { temperature: -3, alpha: 0.25 } }, version: 0 }),
    });
    expect(useStudio.getState().config).toEqual({ ...DEFAULT_CONFIG, alpha: 0.25 });
  });
});

describe('the last data set (distill-studio-data) and the calibration (distill-studio-calibration)', () => {
  it('reads the old bare values', async () => {
    const calibration = { deviceKey: 'gpu', results: [{ name: 'webgl', samplesPerSec: 900 }], measuredAt: 1 };
    const { useLastData, useCalibration } = await load({
      'distill-studio-data': '{"kind":"iris","seed":3}',
      'distill-studio-calibration': JSON.stringify(calibration),
    });
    expect(useLastData.getState().data).toEqual({ kind: 'iris', seed: 3 });
    expect(useCalibration.getState().calibration).toEqual(calibration);
  });

  it('remembers only built-in data, and forgets damaged entries', async () => {
    const { useLastData, useCalibration } = await load({
      'distill-studio-data': '{"kind":"csv","fileName":"x.csv"}',
      'distill-studio-calibration': '{"deviceKey":3}',
    });
    expect(useLastData.getState().data).toBeNull();
    expect(useCalibration.getState().calibration).toBeNull();
  });

  it('measuring again forgets the calibration', async () => {
    const { useCalibration, forgetCalibration, storage } = await load({});
    useCalibration.setState({ calibration: { deviceKey: 'gpu', results: [], measuredAt: 1 } });
    expect(storage.items.has('distill-studio-calibration')).toBe(true);
    forgetCalibration();
    expect(storage.items.has('distill-studio-calibration')).toBe(false);
  });

  it('the sweep form (distill-studio-sweep): the old bare form is read back, and written in the new format', async () => {
    const form = { temperatures: '2, 3', alphas: '0.7', studentPresets: ['mlp-32'], seedsPerCell: '3' };
    const { storage } = await load({ 'distill-studio-sweep': JSON.stringify(form) });
    const { useSweep, setSweepForm } = await import('./sweep-store');
    // A form saved before the soft-targets axis existed compares none.
    expect(useSweep.getState().form).toEqual({ ...form, softTargets: [] });
    setSweepForm({ alphas: '0.8' });
    expect(JSON.parse(storage.items.get('distill-studio-sweep') ?? '')).toEqual({
      state: { form: { ...form, alphas: '0.8', softTargets: [] } },
      version: 0,
    });
  });

  it('without localStorage (private mode, Node) the studio starts on the defaults', async () => {
    vi.stubGlobal('localStorage', undefined);
    vi.resetModules();
    const { useStudio } = await import('./store');
    expect(useStudio.getState().config).toEqual(DEFAULT_CONFIG);
  });
});
