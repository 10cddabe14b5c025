import { describe, expect, it } from 'vitest';
import { clickRow, keepListed, NO_SELECTION, only, selectAll, selectedInOrder, type Selection } from './selection.js';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const ids = (s: Selection) => selectedInOrder(s, order);

describe('selection of conversations', () => {
  it('a click ticks a row, a second click unticks it', () => {
    const one = clickRow(NO_SELECTION, 'c', order, false);
    expect(ids(one)).toEqual(['c']);
    expect(ids(clickRow(one, 'c', order, false))).toEqual([]);
  });

  it('shift-click ticks every row from the last clicked one to this one, in either direction', () => {
    const down = clickRow(clickRow(NO_SELECTION, 'b', order, false), 'e', order, true);
    expect(ids(down)).toEqual(['b', 'c', 'd', 'e']);
    const up = clickRow(clickRow(NO_SELECTION, 'e', order, false), 'b', order, true);
    expect(ids(up)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('a second shift-click moves the end of the range from the same anchor', () => {
    let s = clickRow(NO_SELECTION, 'b', order, false);
    s = clickRow(s, 'd', order, true);
    s = clickRow(s, 'f', order, true);
    expect(ids(s)).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('shift-click from an unticked anchor unticks the range', () => {
    let s = selectAll(order);
    s = clickRow(s, 'b', order, false); // unticks b, b is the anchor
    s = clickRow(s, 'd', order, true);
    expect(ids(s)).toEqual(['a', 'e', 'f']);
  });

  it('shift-click with nothing clicked before acts like a click', () => {
    expect(ids(clickRow(NO_SELECTION, 'd', order, true))).toEqual(['d']);
  });

  it('select all takes every loaded row', () => {
    expect(ids(selectAll(order))).toEqual(order);
    expect(ids(selectAll([]))).toEqual([]);
  });

  it('rows that leave the list leave the selection; an unchanged selection stays the same object', () => {
    const s = clickRow(clickRow(NO_SELECTION, 'a', order, false), 'c', order, true);
    const kept = keepListed(s, ['b', 'c', 'd']);
    expect(ids(kept)).toEqual(['b', 'c']);
    expect(kept.anchor).toBeNull();
    expect(keepListed(s, order)).toBe(s);
    // The anchor gone, shift-click starts a fresh selection of one.
    expect(ids(clickRow(kept, 'e', order, true))).toEqual(['b', 'c', 'e']);
  });

  it('only keeps the given rows (what a bulk action could not change)', () => {
    const s = selectAll(order);
    expect(ids(only(s, ['b', 'z']))).toEqual(['b']);
    expect(ids(only(s, []))).toEqual([]);
  });
});
