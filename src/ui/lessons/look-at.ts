import type { LookAt } from '../../core/lessons/types';

/** Where each part a lesson step talks about is on the page, and what the button that scrolls there says. */
const PLACES: Record<LookAt, { label: string; find: () => Element | null }> = {
  charts: { label: 'Show me the charts', find: () => document.querySelector('main > .charts') },
  results: { label: 'Show me the results', find: () => document.getElementById('results-title')?.closest('section') ?? null },
  explorer: { label: 'Show me the explorer', find: () => headedSection((t) => t === 'Dark-knowledge explorer') },
  omitted: { label: 'Show me the bias correction', find: () => headedSection((t) => t.startsWith('Omitted class')) },
};

function headedSection(matches: (title: string) => boolean): Element | null {
  const heading = [...document.querySelectorAll('main h2')].find((h) => matches(h.textContent ?? ''));
  return heading?.closest('section') ?? null;
}

export function lookLabel(look: LookAt): string {
  return PLACES[look].label;
}

/** Scrolls the part into view (below the sticky run bar: the page's scroll padding); false when it is not on the page yet. */
export function lookAt(look: LookAt): boolean {
  const target = PLACES[look].find();
  if (!target) return false;
  target.scrollIntoView({ block: 'start' });
  return true;
}
