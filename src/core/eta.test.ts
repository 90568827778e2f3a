import { describe, expect, it } from 'vitest';
import { RateMeter } from './eta';

describe('RateMeter', () => {
  it('measures samples per second and the time left', () => {
    let t = 0;
    const meter = new RateMeter(() => t);
    meter.start();
    expect(meter.etaSeconds(0, 1000)).toBeNull();
    t = 1000;
    expect(meter.update(100)).toBeCloseTo(100);
    expect(meter.etaSeconds(100, 1000)).toBeCloseTo(9);
  });

  it('does not count paused time', () => {
    let t = 0;
    const meter = new RateMeter(() => t, 1);
    meter.start();
    t = 1000;
    meter.update(100);
    meter.stop();
    t = 61_000; // a minute paused
    meter.start();
    t = 62_000;
    expect(meter.update(200)).toBeCloseTo(100);
    expect(meter.elapsedMs()).toBe(2000);
  });

  it('smooths the rate and ignores updates closer than 200 ms', () => {
    let t = 0;
    const meter = new RateMeter(() => t, 0.5);
    meter.start();
    t = 1000;
    meter.update(100); // 100/s
    t = 1100;
    expect(meter.update(200)).toBeCloseTo(100); // too soon: unchanged
    t = 2000;
    expect(meter.update(400)).toBeCloseTo(0.5 * 300 + 0.5 * 100);
  });
});
