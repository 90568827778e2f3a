import { useEffect, useId, useRef } from 'react';
import { openLessons, useLessons } from '../../state/lesson-store';
import { openShortcuts, setPresenter, usePresenter } from '../../state/presenter-store';
import { LessonsPanel } from '../lessons/LessonsPanel';
import { ShortcutsDialog } from './ShortcutsDialog';
import { useShortcuts } from './use-shortcuts';
import './presenter.css';

/** Lessons, presenter mode and the keyboard shortcuts: what turns the studio into a lecture. */
export function StudioTools() {
  const presenter = usePresenter((s) => s.presenter);
  const lessonsOpen = useLessons((s) => s.open);
  const lessonsButton = useRef<HTMLButtonElement>(null);
  const id = useId();
  useShortcuts();

  // A class on the root, so that one stylesheet rule hides the advanced panels and scales the type.
  useEffect(() => {
    document.documentElement.classList.toggle('presenter', presenter);
  }, [presenter]);

  return (
    <div className="studio-tools">
      <button type="button" ref={lessonsButton} onClick={openLessons} aria-expanded={lessonsOpen}>
        Lessons
      </button>
      <label htmlFor={`${id}-presenter`}>
        <input id={`${id}-presenter`} type="checkbox" checked={presenter} onChange={(e) => setPresenter(e.target.checked)} />
        Presenter mode
      </label>
      <button type="button" onClick={openShortcuts}>
        Keyboard shortcuts
      </button>
      <LessonsPanel onClose={() => lessonsButton.current?.focus()} />
      <ShortcutsDialog />
    </div>
  );
}
