// The Russian catalogue without its keys. Each i18n/ru/<area>.ts repeats every key of its English
// i18n/<area>.ts; in the ru chunk those keys were a third of the gzip bytes. At build time each
// area becomes an array of its messages in the English file's key order, and `messages()` finds
// a message by the key's position in the English object (i18n/index.ts). Sources and tests keep
// the keyed objects. A key missing in Russian is a hole (English shows); should the English
// object hold more keys than this reading of its file found, `messages()` sees the lengths differ
// and shows English for the whole area rather than shifted messages.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const KEY = /^ {2}(?:'((?:[^'\\]|\\.)*)'|([A-Za-z_$][\w$]*)): /gm;

/** The entries of a file's first `= { … }` object literal, prettier-formatted: [key, value source] in order. */
export function entries(src, file) {
  const open = src.indexOf('= {\n');
  const close = src.indexOf('\n};', open);
  if (open < 0 || close < 0) throw new Error(`${file}: no top-level object literal`);
  const body = src.slice(open + 4, close + 1);
  const marks = [...body.matchAll(KEY)].map((m) => ({ key: m[1] ?? m[2], at: m.index, value: m.index + m[0].length }));
  return marks.map((m, i) => {
    const value = body.slice(m.value, i + 1 < marks.length ? marks[i + 1].at : body.length).trim().replace(/,$/, '');
    if (/^\s*\/\//m.test(value)) throw new Error(`${file}: a comment inside the entry "${m.key}"`);
    return [m.key, value];
  });
}

/** An area's Russian file as `export const <name> = [messages in English key order]`. */
export function compact(ruSource, enSource, file) {
  const name = /export const (\w+)/.exec(ruSource)?.[1];
  if (!name) throw new Error(`${file}: no exported catalogue`);
  const ru = new Map(entries(ruSource, file));
  const keys = entries(enSource, file.replace(/ru[\\/]/, '')).map(([k]) => k);
  return `export const ${name} = [${keys.map((k) => ru.get(k) ?? 'void 0').join(',')}];`;
}

export function ruCompact() {
  return {
    name: 'ru-compact',
    setup(build) {
      build.onLoad({ filter: /[\\/]i18n[\\/]ru[\\/][\w-]+\.ts$/ }, async ({ path }) => {
        const en = join(dirname(path), '..', basename(path));
        return { contents: compact(await readFile(path, 'utf8'), await readFile(en, 'utf8'), path), loader: 'ts', watchFiles: [en] };
      });
    },
  };
}
