import { useState } from 'react';
import { saveFiles } from '../../state/download';
import { figureToPng, pngFileName } from './chart-png';
import './chart-png.css';
import { errorText } from '../../core/error-text';

/** Saves the chart it sits in (its <figure>) as `<title>.png`. */
export function SavePngButton({ title }: { title: string }) {
  const [error, setError] = useState<string | null>(null);
  const save = async (button: HTMLElement) => {
    try {
      const figure = button.closest('figure');
      if (!figure) throw new Error('The chart is not on the page.');
      const blob = await figureToPng(figure);
      saveFiles([{ name: pngFileName(title), bytes: await blob.arrayBuffer() }]);
      setError(null);
    } catch (e) {
      setError(`Could not save the chart: ${errorText(e)}`);
    }
  };
  return (
    <div className="chart-save">
      <button type="button" title={`Save "${title}" as a PNG image`} onClick={(e) => void save(e.currentTarget)}>
        Save PNG
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
