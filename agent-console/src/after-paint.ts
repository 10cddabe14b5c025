/**
 * Runs `fn` in a task of its own once the next frame is painted, so work that shows nothing (a
 * request, the tab title) does not hold back the frame that shows a new message. A hidden tab
 * paints no frames (no animation frame would come): there it runs in the next task.
 */
export function afterPaint(fn: () => void): void {
  if (document.hidden) setTimeout(fn);
  else requestAnimationFrame(() => setTimeout(fn));
}
