import { errorText } from '../core/error-text';

/**
 * The browser's storage errors as a sentence that says what to do. Shared by the page and the
 * worker (both write to IndexedDB), so no DOM or worker globals here.
 */
export function explainStorage(e: unknown, action: string): Error {
  // DOMExceptions are Errors; their name says what went wrong. A write refused for lack of space
  // aborts its transaction, so the request itself may fail as an AbortError whose message names the quota.
  const name = e instanceof Error ? e.name : '';
  const detail = errorText(e);
  if (name === 'QuotaExceededError' || /quota/i.test(detail)) {
    return new Error(
      `Could not ${action}: this browser's storage for the site is full. Delete old runs (their students go with them) or models from the library, or allow the site more storage.`,
    );
  }
  if (name === 'InvalidStateError' || name === 'SecurityError')
    return new Error(
      `Could not ${action}: this browser does not let the page store data (a private window, or storage turned off for the site).`,
    );
  if (name === 'AbortError')
    return new Error(
      `Could not ${action}: the browser aborted the write (${detail || 'no reason given'}). If the site's storage is full, delete old runs or library models.`,
    );
  return new Error(`Could not ${action}: ${detail}`);
}
