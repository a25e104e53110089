// opencc-js ships its dictionaries as ES modules (`dist/esm-lib/dict/*.js`, reached through
// the package's "./*" export) without type declarations: each one's default export is the
// dictionary as "source replacement|source replacement|…".
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
