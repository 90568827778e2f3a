import type { RunRecord, SizeSweepRecord, StoredRun } from './run-record';

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

export const SIZE_SWEEP_CSV_HEADER =
  'run,student,seed,teacher_accuracy,distilled_accuracy,scratch_accuracy,params,bytes_float32,bytes_float16,bytes_uint8,ms_per_sample_batch1,ms_per_sample_batch128';

/** A size sweep: one row per finished (student, seed), in the order they ran. */
export function sizeSweepCsv(run: Pick<SizeSweepRecord, 'name' | 'results'>): string {
  const name = csvCell(run.name);
  const rows = run.results.map((r) =>
    [
      name,
      csvCell(r.student),
      String(r.seed),
      ...[
        r.teacher,
        r.distilled,
        r.scratch,
        r.params,
        r.bytes.float32,
        r.bytes.float16,
        r.bytes.uint8,
        r.latency.batch1,
        r.latency.batch128,
      ].map(csvNumber),
    ].join(','),
  );
  return `${[SIZE_SWEEP_CSV_HEADER, ...rows].join('\r\n')}\r\n`;
}

/** The whole record. JSON has no NaN: those values come out as null. */
export function runJson(run: StoredRun): string {
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
