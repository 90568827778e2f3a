import { create } from 'zustand';

/** Presenter mode (larger type, advanced panels hidden, run shortcuts) and the keyboard shortcuts dialog. */
export interface PresenterState {
  presenter: boolean;
  shortcutsOpen: boolean;
}

/** `?present` in the address turns presenter mode on for the visit (a link for a lecture). */
export function presentInUrl(search: string): boolean {
  return new URLSearchParams(search).has('present');
}

export const usePresenter = create<PresenterState>()(() => ({
  presenter: typeof location !== 'undefined' && presentInUrl(location.search),
  shortcutsOpen: false,
}));

export function setPresenter(on: boolean): void {
  usePresenter.setState({ presenter: on });
}

export function openShortcuts(): void {
  usePresenter.setState({ shortcutsOpen: true });
}

export function closeShortcuts(): void {
  usePresenter.setState({ shortcutsOpen: false });
}
