import { create } from 'zustand';
import type { SynthesisTerms } from '../core/transfer-data/synthesise';
import type { FromWorker, SynthGrid } from '../worker/protocol';
import { studioBus } from './worker-session';

/** The latest synthesis ("Synthesised from the teacher"): kept after the run, replaced by the next one. */
export interface SynthesisState {
  runId: number | null;
  done: number;
  total: number;
  /** The latest terms read (they come every few steps). */
  terms: SynthesisTerms | null;
  /** Image data only; replaced whole, so a new reference means a repaint. */
  grid: SynthGrid | null;
}

const empty: SynthesisState = { runId: null, done: 0, total: 0, terms: null, grid: null };

export const useSynthesis = create<SynthesisState>()(() => empty);

export function synthesisMessage(msg: Extract<FromWorker, { type: 'synthesis' }>): void {
  useSynthesis.setState((s) => {
    const same = s.runId === msg.runId;
    return {
      runId: msg.runId,
      done: msg.done,
      total: msg.total,
      terms: msg.terms ?? (same ? s.terms : null),
      grid: msg.grid ?? (same ? s.grid : null),
    };
  });
}

/** Another data set or teacher: images synthesised for the old one no longer belong. */
export function resetSynthesis(): void {
  useSynthesis.setState(empty);
}

studioBus().on('synthesis', synthesisMessage);
studioBus().on('dataLoaded', resetSynthesis);
studioBus().on('teacherLoaded', resetSynthesis);
studioBus().on('teacherDone', resetSynthesis);
