import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { signal } from '@preact/signals';
import type { ExtraApi } from '../api.js';
import type { ConsoleStore } from '../console-store.js';
import type { TicketStore } from '../tickets.js';
// The page's messages travel with context.ts, which every lazy screen imports: the page keeps one shared chunk.
import '../i18n/core.js';

export const StoreContext = createContext<ConsoleStore | null>(null);

export function useStore(): ConsoleStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore() outside <StoreContext.Provider>.');
  return store;
}

/** Wall clock for relative times; ticked by main.tsx so "5m" becomes "6m" without other events. */
export const now = signal(Date.now());

/** REST calls the UI makes itself (files, channel settings); main.tsx provides the ApiClient. */
export const ApiContext = createContext<ExtraApi | null>(null);

export function useApi(): ExtraApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiContext.Provider>.');
  return api;
}

/** The open conversation's ticket; main.tsx provides it. */
export const TicketContext = createContext<TicketStore | null>(null);

export function useTickets(): TicketStore {
  const tickets = useContext(TicketContext);
  if (!tickets) throw new Error('useTickets() outside <TicketContext.Provider>.');
  return tickets;
}

/** The URL hash (#/c/<id>, #/channels, #/kb…); main.tsx keeps it current. */
export const route = signal(typeof location === 'undefined' ? '' : location.hash);
export const CHANNELS_ROUTE = '#/channels';
/** The knowledge base: #/kb and the places under it (kb/routes.ts). */
export const KB_ROUTE = '#/kb';
export const isKbRoute = (hash: string): boolean => /^#\/kb(\/|$)/.test(hash);

/** The search dialog is open ("/" or the sidebar's search button); ui/search-view.tsx is it. */
export const searchOpen = signal(false);
/** Administration (admins): #/admin and its tabs, #/admin/<tab> (admin/admin-view.tsx). */
export const ADMIN_ROUTE = '#/admin';
export const isAdminRoute = (hash: string): boolean => /^#\/admin(\/|$)/.test(hash);
/** Reports (supervisors and admins): #/reports (reports/reports-view.tsx). */
export const REPORTS_ROUTE = '#/reports';
/** The token of an invitation link, #/invite/<token>, shown before signing in. */
export const inviteToken = (hash: string): string | null => /^#\/invite\/([^/]+)$/.exec(hash)?.[1] ?? null;
