import { describe, expect, it } from 'vitest';
import { decodeMnist, encodeMnist } from './mnist';

function fixture() {
  const train = { pixels: new Uint8Array(3 * 784).map((_, i) => i % 256), labels: Uint8Array.from([3, 1, 4]) };
  const test = { pixels: new Uint8Array(2 * 784).fill(255), labels: Uint8Array.from([9, 0]) };
  return { train, test };
}

describe('MNIST binary format', () => {
  it('round-trips labels and pixels, scaled to 0..1', () => {
    const { train, test } = fixture();
    const bytes = encodeMnist(train, test);
    const d = decodeMnist(bytes.slice().buffer);
    expect(d.train.n).toBe(3);
    expect(d.test.n).toBe(2);
    expect([...d.train.y]).toEqual([3, 1, 4]);
    expect([...d.test.y]).toEqual([9, 0]);
    expect(d.train.x[255]).toBeCloseTo(1, 6);
    expect(d.train.x[256]).toBe(0);
    expect(d.train.x[784 + 2]).toBeCloseTo(((784 + 2) % 256) / 255, 6);
    expect(d.test.x.every((v) => v === 1)).toBe(true);
    expect(d.imageShape).toEqual([28, 28, 1]);
  });

  it('says what is wrong with a foreign, truncated or corrupt file', () => {
    const { train, test } = fixture();
    const good = encodeMnist(train, test);
    expect(() => decodeMnist(new TextEncoder().encode('<html>not found</html>').buffer)).toThrow(/bad header/);
    expect(() => decodeMnist(good.slice(0, good.length - 10).buffer)).toThrow(/expected 3937 bytes for 3\+2 digits, got 3927/);
    const corrupt = good.slice();
    corrupt[12 + 1] = 42;
    expect(() => decodeMnist(corrupt.buffer)).toThrow(/row 1 has label 42/);
  });
});
