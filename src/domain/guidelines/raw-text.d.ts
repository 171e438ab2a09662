/** Vitest (Vite) loads `?raw` imports as the file's text, which keeps the domain tests free of `node:fs`. */
declare module '*?raw' {
  const text: string;
  export default text;
}
