import { useEffect, useId, useRef } from 'react';
import { useStudio } from '../../state/store';
import { useSynthesis } from '../../state/synth-store';
import type { SynthGrid as Grid } from '../../worker/protocol';
import './synth-grid.css';

const LABEL_PX = 72;
const GAP_PX = 4;
const CELL_TARGET_PX = 56;

function cellScale(grid: Grid): number {
  return Math.max(1, Math.round(CELL_TARGET_PX / Math.max(grid.height, grid.width)));
}

/** One row per class (its name on the left), the first images of it across; cells not drawn yet stay blank. */
function paintGrid(canvas: HTMLCanvasElement, grid: Grid, classNames: string[]): void {
  const scale = cellScale(grid);
  const cellW = grid.width * scale;
  const cellH = grid.height * scale;
  canvas.width = LABEL_PX + grid.columns * (cellW + GAP_PX);
  canvas.height = grid.classes * (cellH + GAP_PX);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const style = getComputedStyle(canvas);
  ctx.fillStyle = style.backgroundColor || '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = style.color || '#000';
  ctx.font = '13px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const image = ctx.createImageData(grid.width, grid.height);
  const size = grid.width * grid.height * grid.channels;
  // Each cell drawn at native size, then scaled up without smoothing so pixels stay pixels.
  const cell = document.createElement('canvas');
  cell.width = grid.width;
  cell.height = grid.height;
  const cellCtx = cell.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  for (let c = 0; c < grid.classes; c++) {
    const y = c * (cellH + GAP_PX);
    ctx.fillText(classNames[c] ?? String(c), 4, y + cellH / 2, LABEL_PX - 8);
    for (let k = 0; k < grid.columns; k++) {
      const index = c * grid.columns + k;
      if (!grid.filled[index] || !cellCtx) continue;
      for (let p = 0; p < grid.width * grid.height; p++) {
        const at = index * size + p * grid.channels;
        image.data[p * 4] = grid.pixels[at];
        image.data[p * 4 + 1] = grid.pixels[at + (grid.channels === 3 ? 1 : 0)];
        image.data[p * 4 + 2] = grid.pixels[at + (grid.channels === 3 ? 2 : 0)];
        image.data[p * 4 + 3] = 255;
      }
      cellCtx.putImageData(image, 0, 0);
      ctx.drawImage(cell, LABEL_PX + k * (cellW + GAP_PX), y, cellW, cellH);
    }
  }
}

function format(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : v.toPrecision(3);
}

// One empty list: a selector returning a new [] each time makes React re-render without end (error #185) before a data set loads.
const NO_CLASSES: string[] = [];

/** "Synthesised from the teacher": the images as they form, and the objective's terms. */
export function SynthGrid() {
  const { done, total, terms, grid } = useSynthesis();
  const classNames = useStudio((s) => s.dataset?.classNames ?? NO_CLASSES);
  const canvas = useRef<HTMLCanvasElement>(null);
  const captionId = useId();
  useEffect(() => {
    // Several messages can land in one frame: only the last is painted.
    const frame = requestAnimationFrame(() => {
      if (canvas.current && grid) paintGrid(canvas.current, grid, classNames);
    });
    return () => cancelAnimationFrame(frame);
  }, [grid, classNames]);
  if (total === 0) return null;
  const filled = grid ? grid.filled.reduce((a, b) => a + b, 0) : 0;
  const cells = grid ? grid.classes * grid.columns : 0;
  return (
    <section className="synth" aria-labelledby={`${captionId}-title`}>
      <h2 id={`${captionId}-title`}>Synthesised from the teacher</h2>
      <p className="field-help" aria-live="polite">
        {done < total
          ? `Step ${done} of ${total}: inputs optimised against the frozen teacher.`
          : `Done: ${total} steps. The student learns from these inputs alone.`}
      </p>
      {terms && (
        <dl className="synth-terms" aria-label="Synthesis terms">
          <dt>Confidence (CE)</dt>
          <dd>{format(terms.confidence)}</dd>
          <dt>Diversity</dt>
          <dd>{format(terms.diversity)}</dd>
          {grid && (
            <>
              <dt>Total variation</dt>
              <dd>{format(terms.tv)}</dd>
            </>
          )}
          <dt>BatchNorm statistics</dt>
          <dd>{format(terms.bn)}</dd>
          <dt>Objective</dt>
          <dd>{format(terms.total)}</dd>
        </dl>
      )}
      {grid && (
        <figure className="synth-grid">
          <canvas
            ref={canvas}
            role="img"
            aria-label="Synthesised images"
            aria-describedby={captionId}
            data-filled={filled}
            data-cells={cells}
          />
          <figcaption id={captionId}>
            One row per class, top to bottom: {classNames.slice(0, grid.classes).join(', ')}. {filled} of {cells} images drawn.
          </figcaption>
        </figure>
      )}
    </section>
  );
}
