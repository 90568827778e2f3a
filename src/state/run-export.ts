import type { RunRecord } from './run-record';

export const CSV_HEADER =
  'run,epoch,teacher_accuracy,distilled_accuracy,scratch_accuracy,distilled_agreement,scratch_agreement,distilled_kl,scratch_kl';

/** RFC 4180: quoted only when it must be, quotes doubled. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Full precision; a value that was never computed (NaN) is an empty cell, which spreadsheets and pandas read as missing. */
function csvNumber(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

/**
 * One row per epoch. The run's name leads each row, so the files of several runs can be
 * concatenated (minus their headers) into one table.
 */
export function runCsv(run: Pick<RunRecord, 'name' | 'epochs'>): string {
  const name = csvCell(run.name);
  const rows = run.epochs.map((e) =>
    [
      name,
      String(e.epoch),
      ...[
        e.teacherAccuracy,
        e.distilledAccuracy,
        e.scratchAccuracy,
        e.distilledAgreement,
        e.scratchAgreement,
        e.distilledKL,
        e.scratchKL,
      ].map(csvNumber),
    ].join(','),
  );
  return `${[CSV_HEADER, ...rows].join('\r\n')}\r\n`;
}

export const SEEDS_CSV_HEADER = 'run,seed,teacher_accuracy,distilled_accuracy,scratch_accuracy,distilled_minus_scratch';

/** A repeated run's seeds, one row each (test accuracies at the end of the run); null for a run of one seed. */
export function runSeedsCsv(run: Pick<RunRecord, 'name' | 'repeats'>): string | null {
  if (!run.repeats?.length) return null;
  const name = csvCell(run.name);
  const rows = run.repeats.map((r) =>
    [name, String(r.seed), ...[r.teacher, r.distilled, r.scratch, r.distilled - r.scratch].map(csvNumber)].join(','),
  );
  return `${[SEEDS_CSV_HEADER, ...rows].join('\r\n')}\r\n`;
}

/** The whole record. JSON has no NaN: those values come out as null. */
export function runJson(run: RunRecord): string {
  return JSON.stringify(run, null, 2);
}

/** A file name from a run name: no path separators or characters that Windows refuses. */
export function runFileName(name: string, extension: string): string {
  // Control characters go the way of the characters file systems refuse (written as '|', then replaced with them).
  const visible = Array.from(name, (c) => (c.charCodeAt(0) < 0x20 ? '|' : c)).join('');
  const base =
    visible
      .replace(/[\\/:*?"<>|]+/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 120) || 'run';
  return `${base}.${extension}`;
}
