/**
 * The Pareto front of students by size and accuracy, and the pick within a budget. Plain arithmetic:
 * "size" is whatever the chart measures (parameters, bytes, latency): smaller is better.
 */

export interface SizedPoint {
  size: number;
  accuracy: number;
}

/**
 * The points no other point beats: none is at most as large and at least as accurate, and strictly
 * better in one of the two. Ordered by size, smallest first (accuracy then rises). Of exact
 * duplicates the first is kept, so the front's line has no zero-length step. Points whose size or
 * accuracy is not finite (not measured) are left out.
 */
export function paretoFront<P extends SizedPoint>(points: readonly P[]): P[] {
  const sorted = points
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => Number.isFinite(p.size) && Number.isFinite(p.accuracy))
    // Smaller first; of equal size the more accurate first, so that it alone survives; then input order.
    .sort((a, b) => a.p.size - b.p.size || b.p.accuracy - a.p.accuracy || a.i - b.i);
  const front: P[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const { p } of sorted) {
    if (p.accuracy > best) {
      front.push(p);
      best = p.accuracy;
    }
  }
  return front;
}

export interface Budget {
  /** Largest size allowed, in the measure's unit; undefined: no limit on it. */
  maxBytes?: number;
  maxMsPerSample?: number;
}

export interface BudgetPoint {
  accuracy: number;
  bytes: number;
  /** Null when not measured: such a point cannot meet a latency limit. */
  msPerSample: number | null;
}

/**
 * The most accurate point within every limit given; of equal accuracy, the smaller, then the faster.
 * Null when none fits (or no limit is given: a budget must say something).
 */
export function budgetPick<P extends BudgetPoint>(points: readonly P[], budget: Budget): P | null {
  const { maxBytes, maxMsPerSample } = budget;
  if (maxBytes === undefined && maxMsPerSample === undefined) return null;
  let best: P | null = null;
  for (const p of points) {
    if (!Number.isFinite(p.accuracy)) continue;
    if (maxBytes !== undefined && !(p.bytes <= maxBytes)) continue;
    if (maxMsPerSample !== undefined && !(p.msPerSample !== null && p.msPerSample <= maxMsPerSample)) continue;
    if (
      best === null ||
      p.accuracy > best.accuracy ||
      (p.accuracy === best.accuracy &&
        (p.bytes < best.bytes || (p.bytes === best.bytes && (p.msPerSample ?? Infinity) < (best.msPerSample ?? Infinity))))
    )
      best = p;
  }
  return best;
}
