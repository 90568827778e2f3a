import { STUDENT_PRESETS, type StudentPresetId } from '../core/presets';
import type { SoftTargets } from '../core/experiment';
import {
  MAX_SEEDS_PER_CELL,
  SOFT_TARGET_IDS,
  parseNumberList,
  seedsFrom,
  sweepErrors,
  type SweepErrors,
  type SweepSpec,
} from '../core/sweep';

/** The sweep form as typed: text, so a half-typed list survives a reload. */
export interface SweepForm {
  temperatures: string;
  alphas: string;
  studentPresets: StudentPresetId[];
  seedsPerCell: string;
  /** Soft targets compared side by side; none ticked: every run uses the Loss panel's (no such axis). */
  softTargets: SoftTargets[];
}

export function defaultSweepForm(studentPreset: StudentPresetId): SweepForm {
  return { temperatures: '1, 2, 4, 8', alphas: '0.5, 0.9', studentPresets: [studentPreset], seedsPerCell: '2', softTargets: [] };
}

/** The spec the form describes (seeds counted up from the studio's seed), or why it cannot run. */
export function sweepFormSpec(form: SweepForm, baseSeed: number): { spec: SweepSpec | null; errors: SweepErrors } {
  const errors: SweepErrors = {};
  const list = (text: string, what: string, field: 'temperatures' | 'alphas'): number[] => {
    try {
      return parseNumberList(text, what);
    } catch (e) {
      errors[field] = (e as Error).message;
      return [];
    }
  };
  const temperatures = list(form.temperatures, 'Temperatures', 'temperatures');
  const alphas = list(form.alphas, 'Alphas', 'alphas');
  const count = Number(form.seedsPerCell.trim() === '' ? Number.NaN : form.seedsPerCell);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEEDS_PER_CELL)
    errors.seeds = `Seeds per cell must be a whole number from 1 to ${MAX_SEEDS_PER_CELL}.`;
  if (Object.keys(errors).length > 0)
    return {
      spec: null,
      errors: { ...errors, ...(form.studentPresets.length === 0 ? { studentPresets: 'Student presets: pick at least one.' } : {}) },
    };
  const spec: SweepSpec = {
    temperatures,
    alphas,
    studentPresets: STUDENT_PRESETS.map((p) => p.id).filter((id) => form.studentPresets.includes(id)),
    seeds: seedsFrom(baseSeed, count),
    ...(form.softTargets.length > 0 && { softTargets: SOFT_TARGET_IDS.filter((t) => form.softTargets.includes(t)) }),
  };
  const checked = sweepErrors(spec);
  return { spec: Object.keys(checked).length === 0 ? spec : null, errors: checked };
}

/** A saved form, field by field where still usable, over the defaults. */
export function restoreSweepForm(saved: unknown, fallback: SweepForm): SweepForm {
  if (typeof saved !== 'object' || saved === null) return fallback;
  const r = saved as Record<string, unknown>;
  const text = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
  const presets = Array.isArray(r.studentPresets)
    ? STUDENT_PRESETS.map((p) => p.id).filter((id) => (r.studentPresets as unknown[]).includes(id))
    : fallback.studentPresets;
  return {
    temperatures: text(r.temperatures, fallback.temperatures),
    alphas: text(r.alphas, fallback.alphas),
    studentPresets: presets,
    seedsPerCell: text(r.seedsPerCell, fallback.seedsPerCell),
    softTargets: Array.isArray(r.softTargets)
      ? SOFT_TARGET_IDS.filter((t) => (r.softTargets as unknown[]).includes(t))
      : fallback.softTargets,
  };
}
