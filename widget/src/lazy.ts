import { useEffect, useState } from 'preact/hooks';

/** A chunk of the widget loaded on first need: `value` once it is in; a failed download is tried again on the next call. */
export interface Lazy<T> {
  (): Promise<T>;
  value?: T;
}

export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  let pending: Promise<T> | undefined;
  const get: Lazy<T> = () =>
    (pending ??= load().then(
      (value) => (get.value = value),
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    ));
  return get;
}

/**
 * The chunk's value while `want` holds, once loaded (undefined meanwhile): the component renders
 * again when it arrives. After a failed download every later render asks again, so the feature
 * comes back on the next need while the rest of the chat goes on without it.
 */
export function useLazy<T>(get: Lazy<T> | undefined, want: unknown): T | undefined {
  const [, loaded] = useState(0);
  useEffect(() => {
    if (want && get && !get.value) get().then(() => loaded((n) => n + 1), () => {});
  });
  return want ? get?.value : undefined;
}
