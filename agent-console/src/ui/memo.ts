import { Component, h, type FunctionComponent } from 'preact';

/** Same props, key by key (===). */
export function shallowEqual<P extends object>(a: P, b: P): boolean {
  for (const k in a) if (a[k] !== b[k]) return false;
  for (const k in b) if (!(k in a)) return false;
  return true;
}

/**
 * `Inner` re-rendered only when its props change (`same` says when they have not), like
 * preact/compat's memo without bringing compat into the page. Rows of long lists use it, so a new
 * message renders one row, not every row. Signals `Inner` reads (the language, the clock) still
 * re-render it: they update `Inner` itself, which this wrapper does not stand between.
 */
export function memo<P extends object>(Inner: FunctionComponent<P>, same: (a: P, b: P) => boolean = shallowEqual): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !same(this.props, next);
    }
    override render(props: P) {
      return h(Inner, props);
    }
  }
  return Memo as unknown as FunctionComponent<P>;
}
