import { startTransition, useEffect, useState, type ReactNode } from 'react';

/**
 * Mounts its children one frame after another Staggered's: when a run ends, the analysis appears
 * chart by chart, each in its own task under 50 ms, instead of as one long task that freezes the page.
 *
 * One per frame, not merely one per task: recharts re-renders a chart from its own store in the
 * next animation frame, and all of a frame's callbacks run as one task, so charts updated in the
 * same frame would redraw together there.
 */
const waiting: Array<() => void> = [];
let draining = false;

const nextFrame = (cb: () => void) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => setTimeout(cb, 0)) : setTimeout(cb, 0);

function drain(): void {
  waiting.shift()?.();
  if (waiting.length > 0) nextFrame(drain);
  else draining = false;
}

function enqueue(mount: () => void): void {
  waiting.push(mount);
  if (!draining) {
    draining = true;
    setTimeout(drain, 0);
  }
}

/** Without a document (server rendering, as in the view tests) there is no frame to keep smooth: render at once. */
const immediate = typeof document === 'undefined';

export function Staggered({ children, placeholderHeight = 0 }: { children: ReactNode; placeholderHeight?: number }) {
  const [mounted, setMounted] = useState(immediate);
  useEffect(() => {
    if (mounted) return;
    let live = true;
    // A transition: React renders it in 5 ms slices; only the commit is one piece.
    enqueue(() => live && startTransition(() => setMounted(true)));
    return () => {
      live = false;
    };
  }, [mounted]);
  return mounted ? children : <div style={{ minHeight: placeholderHeight }} aria-hidden="true" />;
}

/**
 * `value`, handed on a task later and in a transition of its own, one consumer per task: several
 * charts fed by one store update then redraw (and commit) one after another, not in one long commit.
 */
export function useStaggeredValue<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(shown, value) || immediate) return;
    let live = true;
    enqueue(() => live && startTransition(() => setShown(value)));
    return () => {
      live = false;
    };
  }, [value, shown]);
  return immediate ? value : shown;
}
