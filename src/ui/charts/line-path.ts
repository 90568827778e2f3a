/** The arithmetic of LinePlot, apart from React: scales and the SVG path of a line. */

/** The linear map from `domain` onto [r0, r1] (a one-value domain maps to r0). */
export const linear = ([d0, d1]: readonly [number, number], r0: number, r1: number) => {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v: number) => r0 + (v - d0) * k;
};

/** Pixels to two decimals: shorter path strings, no visible difference. */
export const round = (v: number) => Math.round(v * 100) / 100;

/** "M…L…" runs, broken where a value is missing (recharts' connectNulls=false). */
export function linePath(
  xs: readonly number[],
  ys: ReadonlyArray<number | undefined>,
  sx: (v: number) => number,
  sy: (v: number) => number,
): string {
  let d = '';
  let open = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (y === undefined || !Number.isFinite(y)) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${round(sx(xs[i]))},${round(sy(y))}`;
    open = true;
  }
  return d;
}
