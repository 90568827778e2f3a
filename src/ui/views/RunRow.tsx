import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RunRecord } from '../../state/run-record';
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
function NameCell({ run }: { run: RunRecord }) {
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
function DeleteButton({ run }: { run: RunRecord }) {
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

export function RunRow({ run, selected, onSelect }: { run: RunRecord; selected: boolean; onSelect: (on: boolean) => void }) {
  const startable = useStudio(canStart);
  return (
    <tr>
      <td>
        <input type="checkbox" aria-label={`Select run ${run.name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
      </td>
      <NameCell run={run} />
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
