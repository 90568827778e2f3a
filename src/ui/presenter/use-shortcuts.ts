import { useEffect } from 'react';
import { canRunLesson, nextStep, runLesson, useLessons } from '../../state/lesson-store';
import { openShortcuts, usePresenter } from '../../state/presenter-store';
import { pauseRun, resumeRun, startDistill, stopRun } from '../../state/run-actions';
import { useStudio } from '../../state/store';
import { keyTargetOf, shortcutFor, type ShortcutAction } from './shortcuts';

function carryOut(action: ShortcutAction): void {
  const studio = useStudio.getState();
  const lessons = useLessons.getState();
  switch (action) {
    case 'showShortcuts':
      openShortcuts();
      break;
    case 'stop':
      stopRun();
      break;
    case 'nextStep':
      nextStep();
      break;
    case 'runOrPause':
      if (studio.run?.status === 'running') pauseRun();
      else if (studio.run?.status === 'paused') resumeRun();
      else if (!studio.run && lessons.open && lessons.lessonId !== null && canRunLesson(studio, lessons)) runLesson();
      else if (!studio.run) startDistill();
      break;
  }
}

/** The page's keyboard shortcuts (shortcuts.ts says which key does what, where). */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const lessons = useLessons.getState();
      const action = shortcutFor({
        key: e.key,
        modified: e.ctrlKey || e.altKey || e.metaKey,
        target: keyTargetOf(e.target),
        presenter: usePresenter.getState().presenter,
        lesson: lessons.open && lessons.lessonId !== null,
        modal: usePresenter.getState().shortcutsOpen,
      });
      if (!action) return;
      e.preventDefault();
      carryOut(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
