import { useId, type ReactNode } from 'react';
import { togglePanel, useLayout, type AdvancedPanel } from '../../state/layout-store';

/**
 * A setup panel that starts closed: its heading is the disclosure button (the APG disclosure pattern),
 * so the region keeps the heading's name, and the page remembers whether it is open. Closed, the body
 * stays mounted but hidden: what was typed in it survives closing.
 */
export function AdvancedSection({
  panel,
  title,
  blurb,
  children,
}: {
  panel: AdvancedPanel;
  title: string;
  blurb: string;
  children: ReactNode;
}) {
  const open = useLayout((s) => s.open[panel]);
  const id = useId();
  return (
    <section className={`panel advanced${open ? ' open' : ''}`} aria-labelledby={`${id}-heading`} id={`panel-${panel}`}>
      <h2 id={`${id}-heading`}>
        <button type="button" className="disclosure" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => togglePanel(panel)}>
          <span className="chevron" aria-hidden="true">
            ▸
          </span>
          {title}
        </button>
      </h2>
      {!open && <p className="panel-blurb">{blurb}</p>}
      <div id={`${id}-body`} hidden={!open}>
        {children}
      </div>
    </section>
  );
}
