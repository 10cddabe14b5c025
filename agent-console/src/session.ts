import type { AgentView } from '@switchboard/contracts';

/** The signed-in agent and their tokens, kept in localStorage under `sb:auth` so a reload stays signed in. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  agent: AgentView;
}

export const SESSION_KEY = 'sb:auth';

/** The part of `Storage` the console uses; tests pass a Map-backed one. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A stored session, or null when there is none or it is damaged (then the agent signs in again). */
export function readSession(storage: KeyValueStorage): Session | null {
  let raw: string | null;
  try {
    raw = storage.getItem(SESSION_KEY);
  } catch {
    return null; // storage disabled (private mode, policy): behave as signed out
  }
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<Session>;
    if (typeof s.accessToken !== 'string' || typeof s.refreshToken !== 'string') return null;
    if (!s.agent || typeof s.agent.id !== 'string') return null;
    return s as Session;
  } catch {
    return null;
  }
}

export function writeSession(storage: KeyValueStorage, session: Session | null): void {
  try {
    if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
    else storage.removeItem(SESSION_KEY);
  } catch {
    // Storage full or disabled: the session still lives for this page.
  }
}

export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}
