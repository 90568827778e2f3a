import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './index';

describe('sha256Hex', () => {
  it('gives the standard digest of bytes, and of a Float32Array view by its own bytes only', async () => {
    expect(await sha256Hex(strToU8('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const whole = new Float32Array([9, 1.5, -2, 9]);
    const view = whole.subarray(1, 3);
    expect(await sha256Hex(view)).toBe(await sha256Hex(new Uint8Array(new Float32Array([1.5, -2]).buffer)));
    expect(await sha256Hex(view)).not.toBe(await sha256Hex(whole));
  });
});
