/** Where Tab goes from item `at` of `count` focusable items: -1 = let the browser move focus as usual. */
export function wrapFocus(at: number, count: number, back: boolean): number {
  if (!count) return -1;
  if (back) return at <= 0 ? count - 1 : -1;
  return at < 0 || at === count - 1 ? 0 : -1;
}

/** Keep Tab and Shift+Tab cycling inside `root` (a modal dialog); call from its keydown handler. */
export function trapTab(e: KeyboardEvent, root: HTMLElement): void {
  const items = [...root.querySelectorAll<HTMLElement>('a[href],button,input,textarea,[tabindex="0"]')].filter(
    (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length,
  );
  const next = wrapFocus(items.indexOf((root.getRootNode() as ShadowRoot).activeElement as HTMLElement), items.length, e.shiftKey);
  if (next < 0) return;
  e.preventDefault();
  items[next]!.focus();
}
