import { describe, expect, it } from 'vitest';
import { parseImageShape } from './image-shape';

describe('parseImageShape', () => {
  it('reads height × width × channels in the ways people type it', () => {
    expect(parseImageShape('28x28x1')).toEqual([28, 28, 1]);
    expect(parseImageShape(' 32 × 32 × 3 ')).toEqual([32, 32, 3]);
    expect(parseImageShape('8,8')).toEqual([8, 8, 1]);
  });

  it('is null when empty and invalid when not a shape', () => {
    expect(parseImageShape('  ')).toBeNull();
    expect(parseImageShape('28x28x0')).toBe('invalid');
    expect(parseImageShape('28')).toBe('invalid');
    expect(parseImageShape('a x b')).toBe('invalid');
  });
});
