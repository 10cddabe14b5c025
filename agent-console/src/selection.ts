/**
 * Which conversations the agent has ticked for a bulk action. Pure logic over the list's ids in
 * their shown order; ui/conversation-list.tsx keeps one in a signal.
 */

export interface Selection {
  readonly ids: ReadonlySet<string>;
  /** The row last ticked or unticked on its own: where a shift-click range starts. */
  readonly anchor: string | null;
}

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null };

/**
 * A click on a row's checkbox. Alone it flips that row. With shift, every row from the anchor to
 * this one (in `order`) takes the state the anchor has; without a usable anchor it acts alone.
 */
export function clickRow(sel: Selection, id: string, order: readonly string[], shift: boolean): Selection {
  const from = shift && sel.anchor !== null ? order.indexOf(sel.anchor) : -1;
  const to = order.indexOf(id);
  if (from < 0 || to < 0) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id };
  }
  const select = sel.ids.has(sel.anchor!);
  const ids = new Set(sel.ids);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
    if (select) ids.add(order[i]!);
    else ids.delete(order[i]!);
  }
  return { ids, anchor: sel.anchor };
}

/** Every row of the list (what is loaded of it). */
export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Only the selected rows still in the list: a conversation that left it (resolved elsewhere, another tab) is no longer selected. */
export function keepListed(sel: Selection, order: readonly string[]): Selection {
  if (sel.ids.size === 0) return sel;
  const listed = new Set(order);
  const ids = new Set([...sel.ids].filter((id) => listed.has(id)));
  const anchor = sel.anchor !== null && listed.has(sel.anchor) ? sel.anchor : null;
  return ids.size === sel.ids.size && anchor === sel.anchor ? sel : { ids, anchor };
}

/** The selected ids in the list's order (how a bulk action sends them). */
export function selectedInOrder(sel: Selection, order: readonly string[]): string[] {
  return order.filter((id) => sel.ids.has(id));
}

/** Keep only `ids` selected (e.g. the ones a bulk action could not change). */
export function only(sel: Selection, ids: Iterable<string>): Selection {
  const next = new Set([...ids].filter((id) => sel.ids.has(id)));
  return { ids: next, anchor: sel.anchor !== null && next.has(sel.anchor) ? sel.anchor : null };
}
