import { showExample } from '../../state/explorer-store';

/**
 * Shows test row `index` in the dark-knowledge explorer and takes the reader there: the explorer's
 * example field gets focus, so a keyboard user lands where the example is.
 */
export function openInExplorer(index: number): void {
  showExample(index);
  // After React has rendered the new index; the explorer is lazy and may still be mounting.
  requestAnimationFrame(() => {
    const explorer = document.querySelector<HTMLElement>('section.explorer');
    if (!explorer) return;
    explorer.scrollIntoView({ block: 'start' });
    explorer.querySelector<HTMLInputElement>('input[type="number"]')?.focus({ preventScroll: true });
  });
}
