import { describe, expect, it } from 'vitest';
import { nearEnd, scrollToReveal, visibleWindow } from './virtual-list.js';

const rows = (count: number, scrollTop: number, height = 400) => ({ count, rowHeight: 80, scrollTop, height });

describe('visibleWindow', () => {
  it('renders the rows in view plus the overscan, and stands in for the rest with space', () => {
    // 400 px show rows 0–4; 3 rows of overscan below, none above the top.
    expect(visibleWindow(rows(10_000, 0), 3)).toEqual({ start: 0, end: 8, before: 0, after: (10_000 - 8) * 80 });
    // Scrolled to row 100.5: rows 100–105 are (partly) in view.
    const w = visibleWindow(rows(10_000, 100.5 * 80), 3);
    expect(w).toEqual({ start: 97, end: 109, before: 97 * 80, after: (10_000 - 109) * 80 });
    expect(w.before + (w.end - w.start) * 80 + w.after).toBe(10_000 * 80);
  });

  it('keeps the window inside the list at its end, when scrolled past it, and for a list shorter than the view', () => {
    expect(visibleWindow(rows(50, 46 * 80), 3)).toEqual({ start: 43, end: 50, before: 43 * 80, after: 0 });
    expect(visibleWindow(rows(50, 99_999), 3)).toMatchObject({ start: 46, end: 50, after: 0 });
    expect(visibleWindow(rows(3, 0), 3)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(visibleWindow(rows(10, -40), 0)).toMatchObject({ start: 0, end: 5 });
  });

  it('renders nothing for an empty list', () => {
    expect(visibleWindow(rows(0, 0))).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });

  it('never renders more than the view and the overscan, however long the list', () => {
    for (const top of [0, 123_456, 799_000]) {
      const w = visibleWindow(rows(10_000, top, 900), 8);
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(900 / 80) + 1 + 16);
    }
  });
});

describe('scrollToReveal', () => {
  const v = { rowHeight: 80, scrollTop: 800, height: 400 }; // rows 10–14 in view
  it('leaves a row in view alone', () => {
    expect(scrollToReveal(10, v)).toBeNull();
    expect(scrollToReveal(14, v)).toBeNull();
  });
  it('scrolls as little as it can: a row above to the top, a row below to the bottom', () => {
    expect(scrollToReveal(9, v)).toBe(720);
    expect(scrollToReveal(15, v)).toBe(16 * 80 - 400);
    expect(scrollToReveal(9_999, v)).toBe(10_000 * 80 - 400);
    expect(scrollToReveal(0, v)).toBe(0);
  });
  it('shows a half-visible row whole', () => {
    expect(scrollToReveal(10, { ...v, scrollTop: 840 })).toBe(800);
  });
});

describe('nearEnd', () => {
  it('says so when the rendered rows come within the margin of the end', () => {
    expect(nearEnd({ start: 0, end: 20, before: 0, after: 0 }, 50, 10)).toBe(false);
    expect(nearEnd({ start: 25, end: 40, before: 0, after: 0 }, 50, 10)).toBe(true);
    expect(nearEnd({ start: 0, end: 0, before: 0, after: 0 }, 0)).toBe(true);
  });
});
