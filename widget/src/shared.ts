import { Fragment, jsx, jsxs } from 'preact/jsx-runtime';
import { useEffect, useRef, useState } from 'preact/hooks';
import { currentLocale, t } from './i18n.js';

/**
 * What the lazy chunks take from the core rather than bundle a copy of: one Preact (hooks work only
 * with the Preact that renders them) and the language the visitor reads. build.mjs reads this list:
 * a lazy chunk's imports of preact, preact/hooks, preact/jsx-runtime and ./i18n.js may name only
 * these (the build fails otherwise), and its `link()` takes them in this order. They are set
 * after the chunk is evaluated: a chunk uses them in its functions, never at its top level.
 */
export const shared = [jsx, jsxs, Fragment, useEffect, useRef, useState, t, currentLocale];

/** A lazy chunk once imported: linked to the core's shared modules before any of it runs. */
export const linked = <T,>(chunk: Promise<T>): Promise<T> =>
  chunk.then((m) => {
    (m as { link?: (core: unknown[]) => void }).link?.(shared);
    return m;
  });
