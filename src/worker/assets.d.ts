/** Vite turns `?url` imports into the URL of the emitted file, served from the app's own origin. */
declare module '*?url' {
  const url: string;
  export default url;
}
