/** What to tell a person about a thrown value: an Error's message, anything else as text. Imports nothing, so the page's first script can use it without tfjs. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
