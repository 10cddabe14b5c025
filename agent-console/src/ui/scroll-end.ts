/**
 * Keeps a scroller at its end as rows are added, without forcing a layout: the function returned
 * scrolls the element to its end once the browser has laid the new rows out itself — a
 * ResizeObserver's first call for an element comes after the frame's layout and before its paint —
 * so the frame that shows a new message shows it scrolled into view, and the task that added it
 * ends sooner (reading `scrollHeight` there would lay the page out in the middle of it).
 */
export function endScroller(): (el: HTMLElement) => void {
  let target: HTMLElement;
  const observer = new ResizeObserver(() => {
    observer.disconnect();
    target.scrollTop = target.scrollHeight;
  });
  return (el) => {
    // Observing anew always brings one call after the next layout.
    observer.disconnect();
    observer.observe((target = el));
  };
}
