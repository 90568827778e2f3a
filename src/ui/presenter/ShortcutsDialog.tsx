import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { closeShortcuts, usePresenter } from '../../state/presenter-store';
import { SHORTCUTS } from './shortcuts';

/** Tab and Shift+Tab go round the dialog's controls: the browser would otherwise leave the page for its own toolbar. */
function keepFocusInside(e: KeyboardEvent<HTMLDialogElement>): void {
  if (e.key !== 'Tab') return;
  const controls = [
    ...e.currentTarget.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'),
  ];
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  if (e.shiftKey ? document.activeElement === first : document.activeElement === last) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}

/**
 * The keyboard shortcuts, in a native modal dialog: the browser makes the rest of the page inert (focus
 * stays inside) and closes it on Escape; focus goes back to where it was when it opened.
 */
export function ShortcutsDialog() {
  const open = usePresenter((s) => s.shortcutsOpen);
  const presenter = usePresenter((s) => s.presenter);
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open || dialog.open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onClose = () => {
      closeShortcuts();
      opener.current?.focus();
      opener.current = null;
    };
    dialog.addEventListener('close', onClose);
    return () => dialog.removeEventListener('close', onClose);
  }, []);

  return (
    <dialog ref={ref} className="shortcuts-dialog" aria-labelledby={`${id}-title`} aria-modal="true" onKeyDown={keepFocusInside}>
      <h2 id={`${id}-title`}>Keyboard shortcuts</h2>
      <table>
        <caption className="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>
                {s.what}
                {s.presenterOnly && ' (in presenter mode)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="shortcuts-note">
        {presenter
          ? 'Presenter mode is on: the run keys work wherever focus is not on a field or a button that uses the key.'
          : 'Turn on Presenter mode (or add ?present to the address) for the run keys.'}{' '}
        Escape closes this list.
      </p>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
