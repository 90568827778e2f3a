import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { fakeEnv } from '../test-backend-env';
import { useCpuBackend } from '../test-setup';
import { simulateTfjsVersions } from './versions';

beforeAll(useCpuBackend);
afterEach(() => simulateTfjsVersions(null));

describe('the backend line', () => {
  it('says nothing of the internals on the tfjs they were written for', async () => {
    const info = await selectBackend(fakeEnv({}), 'cpu');
    expect(info.reason).toBe('cpu was asked for in the URL (?backend=cpu).');
  });

  it('says what was turned off on another tfjs, and why', async () => {
    simulateTfjsVersions({ 'tfjs-layers': '5.0.0' });
    const info = await selectBackend(fakeEnv({}), 'cpu');
    expect(info.reason).toBe(
      'cpu was asked for in the URL (?backend=cpu). Turned off: checking each weight while a model loads (tfjs-layers is 5.0.0, but this hack was written for 4.22.0; ' +
        'models load unwatched: weights are checked against the manifest after the build, and errors name no layer); seeded dropout (tfjs-layers is 5.0.0, but this hack ' +
        'was written for 4.22.0; dropout masks come from Math.random, so runs with dropout are not reproducible).',
    );
  });
});
