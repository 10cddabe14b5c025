import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { titleBlinker } from './notify.js';

/** A tab whose visibility the test switches, telling listeners as a browser does. */
function fakeTab(title: string) {
  const listeners = new Set<() => void>();
  const tab = {
    title,
    hidden: true,
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
    show() {
      tab.hidden = false;
      for (const fn of [...listeners]) fn();
    },
    listeners,
  };
  return tab;
}

describe('title blink for replies that arrive in a hidden tab', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('alternates "(n) New message" with the page title every second until the tab is visible, then restores it exactly', () => {
    const tab = fakeTab('  Shop — Cart ');
    const blink = titleBlinker(tab as unknown as Document, (n) => `(${n}) New message${n > 1 ? 's' : ''}`);
    blink(1);
    expect(tab.title).toBe('(1) New message');
    vi.advanceTimersByTime(1000);
    expect(tab.title).toBe('  Shop — Cart ');
    vi.advanceTimersByTime(1000);
    expect(tab.title).toBe('(1) New message');
    blink(2);
    expect(tab.title).toBe('(3) New messages');
    vi.advanceTimersByTime(1000);
    expect(tab.title).toBe('  Shop — Cart ');
    vi.advanceTimersByTime(1000);
    expect(tab.title).toBe('(3) New messages');

    tab.show();
    expect(tab.title).toBe('  Shop — Cart ');
    vi.advanceTimersByTime(5000);
    expect(tab.title).toBe('  Shop — Cart ');
    expect(tab.listeners.size).toBe(0);
  });

  it('counts again from one the next time the tab is hidden', () => {
    const tab = fakeTab('Shop');
    const blink = titleBlinker(tab as unknown as Document, (n) => `(${n})`);
    blink(2);
    tab.show();
    tab.hidden = true;
    tab.title = 'Checkout';
    blink(1);
    expect(tab.title).toBe('(1)');
    vi.advanceTimersByTime(1000);
    expect(tab.title).toBe('Checkout');
    tab.show();
    expect(tab.title).toBe('Checkout');
  });
});
