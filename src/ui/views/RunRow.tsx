import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { RunRecord, StoredRun } from '../../state/run-record';
import { exportRun, loadRunStudent, removeRun, renameRun } from '../../state/runs-store';
import { canStart } from '../../state/run-actions';
import { useStudio } from '../../state/store';
import { formatPercent } from '../../state/format';

const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : '—');

function StudentCell({ run }: { run: RunRecord }) {
  switch (run.student.status) {
    case 'saving':
      return <>saving…</>;
    case 'saved':
      return <>saved</>;
    case 'failed':
      return (
        <>
          not saved<div className="row-detail">{run.student.reason}</div>
        </>
      );
  }
}

/** A name that edits in place: Enter or leaving the field keeps it, Escape puts the old one back. */
export function NameCell({ run, children }: { run: StoredRun; children?: ReactNode }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(run.name);
  const finished = useRef(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    // Back on the Rename button after editing, so the keyboard stays where it was.
    if (wasEditing.current && !editing) renameButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const close = (save: boolean) => {
    if (finished.current) return;
    finished.current = true;
    if (save) void renameRun(run.id, text);
    setEditing(false);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') close(true);
    else if (e.key === 'Escape') close(false);
  };
  if (editing) {
    return (
      <th scope="row">
        <input
          className="run-name-input"
          aria-label="Run name"
          value={text}
          // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to rename: focus belongs in it
          autoFocus
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          onBlur={() => close(true)}
        />
      </th>
    );
  }
  return (
    <th scope="row">
      {run.name}
      <div className="row-detail">{run.dataset}</div>
      {children}
      <button
        ref={renameButton}
        type="button"
        className="link"
        onClick={() => {
          finished.current = false;
          setText(run.name);
          setEditing(true);
        }}
      >
        Rename
      </button>
    </th>
  );
}

/** Deleting asks twice on the same button: a second click (or Enter) deletes, Escape or leaving it cancels. */
export function DeleteButton({ run }: { run: StoredRun }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <button
      type="button"
      className={confirming ? 'confirm' : undefined}
      aria-label={confirming ? `Confirm: delete run ${run.name} and its student` : undefined}
      onClick={() => (confirming ? void removeRun(run.id) : setConfirming(true))}
      onBlur={() => setConfirming(false)}
      onKeyDown={(e) => e.key === 'Escape' && setConfirming(false)}
    >
      {confirming ? 'Confirm delete' : 'Delete'}
    </button>
  );
}

/** A repeated run's seeds as stored: each seed's test accuracies and its distilled − scratch difference. */
function SeedsDetail({ run }: { run: RunRecord }) {
  if (!run.repeats?.length) return null;
  return (
    <details className="run-seeds">
      <summary>{`Seeds (${run.repeats.length})`}</summary>
      <table aria-label={`Seeds of run ${run.name}`}>
        <thead>
          <tr>
            <th scope="col">Seed</th>
            <th scope="col">Distilled</th>
            <th scope="col">Scratch</th>
            <th scope="col">Teacher</th>
            <th scope="col">Distilled − scratch</th>
          </tr>
        </thead>
        <tbody>
          {run.repeats.map((r) => (
            <tr key={r.seed}>
              <th scope="row">{r.seed}</th>
              <td>{pct(r.distilled)}</td>
              <td>{pct(r.scratch)}</td>
              <td>{pct(r.teacher)}</td>
              <td>{points(r.distilled - r.scratch)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A difference of accuracies in percentage points, signed as the Repeats table signs it. */
const points = (d: number) => (Number.isFinite(d) ? `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(2)}` : '—');

export function RunRow({ run, selected, onSelect }: { run: RunRecord; selected: boolean; onSelect: (on: boolean) => void }) {
  const startable = useStudio(canStart);
  return (
    <tr>
      <td>
        <input type="checkbox" aria-label={`Select run ${run.name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
      </td>
      <NameCell run={run}>
        <SeedsDetail run={run} />
      </NameCell>
      <td>{new Date(run.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}</td>
      <td>{pct(run.results.distilled.testAccuracy)}</td>
      <td>{pct(run.results.scratch.testAccuracy)}</td>
      <td>{pct(run.results.teacher.testAccuracy)}</td>
      <td>
        <StudentCell run={run} />
      </td>
      <td>
        <div className="runs-actions">
          <button
            type="button"
            disabled={!startable || run.student.status !== 'saved'}
            title="Use this run's distilled student as the uploaded student"
            onClick={() => loadRunStudent(run)}
          >
            Load student
          </button>
          <button type="button" onClick={() => exportRun(run, 'csv')}>
            Export CSV
          </button>
          <button type="button" onClick={() => exportRun(run, 'json')}>
            Export JSON
          </button>
          <DeleteButton run={run} />
        </div>
      </td>
    </tr>
  );
}
