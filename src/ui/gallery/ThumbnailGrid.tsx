import { useEffect } from 'react';
import { requestThumbnails } from '../../state/gallery-store';
import { useStudio } from '../../state/store';
import { openInExplorer } from './open-in-explorer';
import { ExampleThumbnail, type ThumbnailItem } from './Thumbnail';
import './gallery.css';

/** The shown items as thumbnails, fetched from the worker as they come into the list, and a "Show more" while there are more. */
export function ThumbnailGrid({ items, total, onMore }: { items: readonly ThumbnailItem[]; total: number; onMore: () => void }) {
  const shape = useStudio((s) => s.dataset?.imageShape);
  // A list of row numbers, so that a re-render with the same rows asks for nothing.
  const rows = items.map((item) => item.index).join(',');
  useEffect(() => {
    requestThumbnails(rows ? rows.split(',').map(Number) : []);
  }, [rows]);
  return (
    <>
      <ul className="thumb-grid">
        {items.map((item) => (
          <ExampleThumbnail key={item.index} item={item} shape={shape} onOpen={openInExplorer} />
        ))}
      </ul>
      {items.length < total && (
        <button type="button" onClick={onMore}>
          Show more ({items.length} of {total.toLocaleString('en-US')} shown)
        </button>
      )}
    </>
  );
}
