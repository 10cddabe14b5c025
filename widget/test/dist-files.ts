import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * The built widget's files as a visitor's browser meets them, read from widget/dist (paths
 * relative to it): the loader, the core (the chat entry and the chunks it imports statically,
 * transitively: what every chatting visitor downloads) and the lazy chunks (loaded by import()
 * on first need). Shared by the byte-budget test, the browser tests and bench/widget-size.ts.
 */
export const DIST = new URL('../dist/', import.meta.url);
export const LOADER = 'widget.js';

/** The chat's module files, `widget/<name>-<hash>.js`. */
export function chatFiles(): string[] {
  const dir = new URL('widget/', DIST);
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.js')).map((name) => `widget/${name}`) : [];
}

/** Static imports of a built module (`import{a as b}from"./chunk-X.js"`, `import"./x.js"`), not import() calls. */
export const staticImports = (code: string): string[] => [...code.matchAll(/(?:\bfrom|\bimport)\s*"\.\/([\w-]+\.js)"/g)].map((m) => `widget/${m[1]}`);

/** The core: the entry (widget/chat-<hash>.js) first, then what it imports statically, transitively. */
export function coreFiles(): string[] {
  const entry = chatFiles().find((file) => /^widget\/chat-\w+\.js$/.test(file));
  if (!entry) return [];
  const core = [entry];
  for (const file of core) for (const dep of staticImports(read(file))) if (!core.includes(dep)) core.push(dep);
  return core;
}

export const lazyFiles = (): string[] => {
  const core = coreFiles();
  return chatFiles().filter((file) => !core.includes(file));
};

export const read = (file: string): string => readFileSync(new URL(file, DIST), 'utf8');
