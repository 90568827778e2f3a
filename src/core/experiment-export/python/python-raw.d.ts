/** A Python file's text, as Vite (and so vitest) imports it with `?raw`. */
declare module '*.py?raw' {
  const source: string;
  export default source;
}
