/**
 * Types for the one papaparse call the engine makes. Importing 'papaparse' by its bare name would load
 * @types/papaparse, which references @types/node and so would hand every file in src/core Node's
 * globals (console, process, Buffer): exactly what tsconfig.core.json keeps out. The .min.js file is
 * the one the package's "browser" field points the app's bundle to anyway.
 */
declare module 'papaparse/papaparse.min.js' {
  export interface ParseError {
    type: string;
    code: string;
    message: string;
    /** Index of the parsed row, not the line in the file. */
    row?: number;
  }
  export interface ParseResult {
    data: string[][];
    errors: ParseError[];
    meta: { delimiter: string; linebreak: string };
  }
  export interface ParseConfig {
    delimiter: string;
    /** Parse synchronously here: we already run inside the app's own worker. */
    worker: false;
    /** Rows to parse; 0 for all. */
    preview?: number;
  }
  const Papa: { parse(text: string, config: ParseConfig): ParseResult };
  export default Papa;
}
