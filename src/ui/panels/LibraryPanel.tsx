import { useId, useState } from 'react';
import { formatBytes } from '../../state/format';
import { StorageStatus } from '../StorageStatus';
import { removeFromLibrary, saveModelToLibrary, loadFromLibrary } from '../../state/library-actions';
import { canStart } from '../../state/run-actions';
import { useStudio } from '../../state/store';
import { AdvancedSection } from './AdvancedSection';

/** Models kept in this browser (IndexedDB): they survive a reload and never leave the machine. */
export function LibraryPanel() {
  const library = useStudio((s) => s.library);
  const error = useStudio((s) => s.libraryError);
  const hasStudent = useStudio((s) => s.results !== null);
  const teacher = useStudio((s) => s.teacher);
  const startable = useStudio(canStart);
  const [name, setName] = useState('');
  const id = useId();
  const trimmed = name.trim();
  return (
    <AdvancedSection panel="library" title="Model library" blurb="Models kept in this browser.">
      <div className="field">
        <label htmlFor={id}>Library name</label>
        <input id={id} type="text" value={name} placeholder="e.g. mnist student T=4" onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="button-row">
        <button type="button" disabled={!startable || !hasStudent || !trimmed} onClick={() => saveModelToLibrary('distilled', trimmed)}>
          Save student to library
        </button>
        <button
          type="button"
          disabled={!startable || !teacher?.exportable || !trimmed}
          onClick={() => saveModelToLibrary('teacher', trimmed)}
        >
          Save teacher to library
        </button>
      </div>
      {library.length === 0 ? (
        <p className="field-help">Nothing saved yet.</p>
      ) : (
        <table className="library" aria-label="Saved models">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {library.map((m) => (
              <tr key={m.id}>
                <th scope="row" title={`${m.dataset}, saved ${new Date(m.createdAt).toLocaleString()}`}>
                  {m.name}
                </th>
                <td>{m.role}</td>
                <td>{formatBytes(m.bytes)}</td>
                <td className="actions">
                  <button
                    type="button"
                    disabled={!startable}
                    aria-label={`Use ${m.name} as teacher`}
                    onClick={() => void loadFromLibrary(m.id, 'teacher')}
                  >
                    Teacher
                  </button>
                  <button
                    type="button"
                    disabled={!startable}
                    aria-label={`Use ${m.name} as student`}
                    onClick={() => void loadFromLibrary(m.id, 'student')}
                  >
                    Student
                  </button>
                  <button type="button" aria-label={`Delete ${m.name}`} onClick={() => void removeFromLibrary(m.id)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <StorageStatus />
      {error && (
        <div role="alert" className="message error">
          {error}
        </div>
      )}
    </AdvancedSection>
  );
}
