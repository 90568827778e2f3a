import { describe, expect, it } from 'vitest';
import { presentInUrl } from '../../state/presenter-store';
import { shortcutFor, type KeyContext } from './shortcuts';

const body = { tagName: 'BODY' };
const at = (patch: Partial<KeyContext>): KeyContext => ({
  key: ' ',
  modified: false,
  target: body,
  presenter: true,
  lesson: true,
  modal: false,
  ...patch,
});

describe('keyboard shortcuts', () => {
  it('in presenter mode: Space runs or pauses, Escape stops, → goes to the next lesson step', () => {
    expect(shortcutFor(at({ key: ' ' }))).toBe('runOrPause');
    expect(shortcutFor(at({ key: 'Escape' }))).toBe('stop');
    expect(shortcutFor(at({ key: 'ArrowRight' }))).toBe('nextStep');
    expect(shortcutFor(at({ key: 'ArrowRight', lesson: false }))).toBeNull();
  });

  it('outside presenter mode, only ? (the list) works', () => {
    for (const key of [' ', 'Escape', 'ArrowRight']) expect(shortcutFor(at({ key, presenter: false }))).toBeNull();
    expect(shortcutFor(at({ key: '?', presenter: false }))).toBe('showShortcuts');
  });

  it('leave keys to text and number fields, and Space to buttons and links', () => {
    const number = { tagName: 'INPUT', type: 'number' };
    const text = { tagName: 'INPUT', type: 'text' };
    for (const target of [number, text, { tagName: 'TEXTAREA' }, { tagName: 'DIV', editable: true }]) {
      expect(shortcutFor(at({ key: 'ArrowRight', target }))).toBeNull();
      expect(shortcutFor(at({ key: '?', target }))).toBeNull();
      expect(shortcutFor(at({ key: ' ', target }))).toBeNull();
    }
    expect(shortcutFor(at({ key: ' ', target: { tagName: 'BUTTON' } }))).toBeNull();
    expect(shortcutFor(at({ key: ' ', target: { tagName: 'A' } }))).toBeNull();
    expect(shortcutFor(at({ key: 'ArrowRight', target: { tagName: 'INPUT', type: 'range' } }))).toBeNull();
    // On a button, → is no button's key: the next step.
    expect(shortcutFor(at({ key: 'ArrowRight', target: { tagName: 'BUTTON' } }))).toBe('nextStep');
  });

  it('do nothing with a modifier held or a modal dialog open', () => {
    expect(shortcutFor(at({ key: ' ', modified: true }))).toBeNull();
    expect(shortcutFor(at({ key: 'Escape', modal: true }))).toBeNull();
    expect(shortcutFor(at({ key: '?', modal: true }))).toBeNull();
  });

  it('presenter mode from ?present in the address', () => {
    expect(presentInUrl('?present')).toBe(true);
    expect(presentInUrl('?backend=wasm&present=1')).toBe(true);
    expect(presentInUrl('?backend=wasm')).toBe(false);
    expect(presentInUrl('')).toBe(false);
  });
});
