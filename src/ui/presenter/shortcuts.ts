/** What a key press does, decided from the key and where focus is: pure, so that it is tested without a page. */
export type ShortcutAction = 'runOrPause' | 'stop' | 'nextStep' | 'showShortcuts';

export interface KeyTarget {
  tagName: string;
  /** The input's type, for inputs. */
  type?: string;
  role?: string | null;
  editable?: boolean;
}

export interface KeyContext {
  key: string;
  /** Ctrl, Alt or Meta held: the browser's or the system's shortcut, not ours. */
  modified: boolean;
  target: KeyTarget | null;
  presenter: boolean;
  /** A lesson is open at a step. */
  lesson: boolean;
  /** A modal dialog is open: it has the keys. */
  modal: boolean;
}

const TEXT_TAGS = new Set(['TEXTAREA', 'SELECT']);
const CONTROL_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A', 'SUMMARY', 'DIALOG']);
const KEY_ROLES = new Set([
  'button',
  'link',
  'slider',
  'spinbutton',
  'checkbox',
  'radio',
  'switch',
  'tab',
  'menuitem',
  'option',
  'textbox',
  'combobox',
]);

/** Focus where typed characters go (a text or number field): no shortcut there. */
function typesText(t: KeyTarget): boolean {
  if (t.editable || TEXT_TAGS.has(t.tagName) || t.role === 'textbox' || t.role === 'spinbutton' || t.role === 'combobox') return true;
  return t.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'file', 'color'].includes(t.type ?? 'text');
}

/** Focus on something the key already works (Space presses a button, arrows move a slider or a radio group). */
function usesKey(t: KeyTarget): boolean {
  return typesText(t) || CONTROL_TAGS.has(t.tagName) || (t.role != null && KEY_ROLES.has(t.role));
}

export function shortcutFor(c: KeyContext): ShortcutAction | null {
  if (c.modified || c.modal) return null;
  const t = c.target;
  if (c.key === '?') return t && typesText(t) ? null : 'showShortcuts';
  if (!c.presenter) return null;
  if (c.key === 'Escape') return 'stop';
  if (c.key === ' ') return t && usesKey(t) ? null : 'runOrPause';
  if (c.key === 'ArrowRight' && c.lesson)
    return t && (typesText(t) || t.type === 'range' || t.role === 'slider' || t.role === 'radio' || t.role === 'tab') ? null : 'nextStep';
  return null;
}

export function keyTargetOf(el: EventTarget | null): KeyTarget | null {
  if (!(el instanceof HTMLElement)) return null;
  return {
    tagName: el.tagName,
    type: el instanceof HTMLInputElement ? el.type : undefined,
    role: el.getAttribute('role'),
    editable: el.isContentEditable,
  };
}

/** The list the Keyboard shortcuts dialog shows. */
export const SHORTCUTS: readonly { keys: string; what: string; presenterOnly: boolean }[] = [
  { keys: 'Space', what: 'Run this experiment or Distill; pause or resume a run', presenterOnly: true },
  { keys: 'Escape', what: 'Stop the run', presenterOnly: true },
  { keys: '→ (Right arrow)', what: 'Next step of the open lesson (not while in a text or number field)', presenterOnly: true },
  { keys: '?', what: 'Show this list', presenterOnly: false },
];
