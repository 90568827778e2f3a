import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** The setup panels that start closed: one click away, so that the basics come first. */
export const ADVANCED_PANELS = ['ensemble', 'loss', 'transfer', 'sweep', 'experiment', 'export', 'library'] as const;
export type AdvancedPanel = (typeof ADVANCED_PANELS)[number];

export interface LayoutState {
  /** Which advanced panels the person opened; remembered across visits. */
  open: Record<AdvancedPanel, boolean>;
}

const CLOSED: Record<AdvancedPanel, boolean> = {
  ensemble: false,
  loss: false,
  transfer: false,
  sweep: false,
  experiment: false,
  export: false,
  library: false,
};

/** What was stored, kept only where it is a known panel and a boolean: an old or hand-edited value cannot break the page. */
export function restoreOpen(stored: unknown): Record<AdvancedPanel, boolean> {
  const open = { ...CLOSED };
  if (stored && typeof stored === 'object' && 'open' in stored && stored.open && typeof stored.open === 'object') {
    const saved = stored.open as Record<string, unknown>;
    for (const panel of ADVANCED_PANELS) if (typeof saved[panel] === 'boolean') open[panel] = saved[panel];
  }
  return open;
}

export const useLayout = create<LayoutState>()(
  persist(() => ({ open: { ...CLOSED } }), {
    name: 'distill-studio-layout',
    version: 1,
    // localStorage can be missing (vitest in Node) or throw (private modes): the page then forgets, nothing more.
    storage: createJSONStorage(() => localStorage),
    merge: (stored, current) => ({ ...current, open: restoreOpen(stored) }),
  }),
);

export function togglePanel(panel: AdvancedPanel): void {
  useLayout.setState((s) => ({ open: { ...s.open, [panel]: !s.open[panel] } }));
}

export function openPanel(panel: AdvancedPanel): void {
  if (!useLayout.getState().open[panel]) togglePanel(panel);
}
