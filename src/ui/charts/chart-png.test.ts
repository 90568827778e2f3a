import { describe, expect, it } from 'vitest';
import { pngFileName } from './chart-png';

describe('pngFileName', () => {
  it('keeps the title, minus what a file name cannot hold', () => {
    expect(pngFileName('Test accuracy per epoch')).toBe('Test accuracy per epoch.png');
    expect(pngFileName('KL(teacher ‖ student) on the test set, at T')).toBe('KL(teacher ‖ student) on the test set, at T.png');
    expect(pngFileName('Test accuracy on the omitted class "3"')).toBe('Test accuracy on the omitted class -3-.png');
    expect(pngFileName('a/b\\c')).toBe('a-b-c.png');
    expect(pngFileName('tab\there\u0000\u001f')).toBe('tab-here-.png');
    expect(pngFileName('  ')).toBe('chart.png');
  });
});
