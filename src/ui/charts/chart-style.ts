/** One colour per model, the same in every chart and in the legend. */
export const COLORS = {
  teacher: '#7c5cff',
  distilled: '#0e9f6e',
  scratch: '#e8590c',
  soft: '#1c7ed6',
  hard: '#c2255c',
  mse: '#2b8a3e',
  hint: '#868e96',
  tckd: '#0b7285',
  nckd: '#5c940d',
  /** Mutual learning's second student. */
  peer: '#a61e4d',
} as const;

export const CHART_HEIGHT = 220;
