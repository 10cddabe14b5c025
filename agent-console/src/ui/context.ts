import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { signal } from '@preact/signals';
import type { ConsoleStore } from '../console-store.js';

export const StoreContext = createContext<ConsoleStore | null>(null);

export function useStore(): ConsoleStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore() outside <StoreContext.Provider>.');
  return store;
}

/** Wall clock for relative times; ticked by main.tsx so "5m" becomes "6m" without other events. */
export const now = signal(Date.now());
