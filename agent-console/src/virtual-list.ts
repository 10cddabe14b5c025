/**
 * Windowing for a list of fixed-height rows: which rows to put in the DOM for a scroll position,
 * where to scroll to bring a row into view, and when the end is near enough to fetch more.
 * Pure maths; ui/conversation-list.tsx renders with it.
 */

export interface Viewport {
  /** How many rows the list has. */
  count: number;
  rowHeight: number;
  /** The scroller's scrollTop, measured from the first row (space above the rows already taken off). */
  scrollTop: number;
  /** The scroller's visible height. */
  height: number;
}

/** Rows `start` (inclusive) to `end` (exclusive) are rendered; `before` / `after` px of space stand in for the rest. */
export interface RowWindow {
  start: number;
  end: number;
  before: number;
  after: number;
}

/** The rows in view plus `overscan` rows on each side, clamped to the list. */
export function visibleWindow(v: Viewport, overscan = 6): RowWindow {
  const { count, rowHeight } = v;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const top = Math.max(0, v.scrollTop);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const last = Math.min(count, Math.ceil((top + Math.max(0, v.height)) / rowHeight));
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.max(last, first + 1) + overscan);
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}

/**
 * The scrollTop that shows row `index` whole while moving as little as possible (like
 * scrollIntoView's `block: 'nearest'`), or null when it is already in view.
 */
export function scrollToReveal(index: number, v: Omit<Viewport, 'count'>): number | null {
  const top = index * v.rowHeight;
  const bottom = top + v.rowHeight;
  if (top < v.scrollTop) return top;
  if (bottom > v.scrollTop + v.height) return Math.max(0, bottom - v.height);
  return null;
}

/** Whether the last rendered row is within `margin` rows of the end: time to fetch the next page. */
export function nearEnd(w: RowWindow, count: number, margin = 10): boolean {
  return count === 0 || w.end >= count - margin;
}
