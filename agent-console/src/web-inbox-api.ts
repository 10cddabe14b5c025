import type { WebInboxCreate, WebInboxUpdate, WebInboxView } from '@switchboard/contracts';
import type { ExtraApi } from './api.js';

/**
 * The website inboxes' REST calls (platform/contracts/src/web-inboxes.ts) on the API client's
 * authenticated `call`. Its own module because three lazily loaded chunks use it (the Website
 * section, the chat settings form, identity verification) and none should bring the others' code.
 */
export interface WebInboxApi {
  list(): Promise<{ items: WebInboxView[] }>;
  create(input: WebInboxCreate): Promise<WebInboxView>;
  update(id: string, change: WebInboxUpdate): Promise<WebInboxView>;
  /** A new widget token (and snippet); the old one stops working. */
  rotate(id: string): Promise<WebInboxView>;
  /** A new identity secret; hashes signed with the old one stop verifying. */
  rotateSecret(id: string): Promise<WebInboxView>;
}

const base = '/api/v1/web-inboxes';

export function webInboxApi(http: Pick<ExtraApi, 'call'>): WebInboxApi {
  const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
  return {
    list: () => http.call('GET', base),
    create: (input) => http.call('POST', base, input),
    update: (id, change) => http.call('PATCH', one(id), change),
    rotate: (id) => http.call('POST', `${one(id)}/rotate-token`),
    rotateSecret: (id) => http.call('POST', `${one(id)}/rotate-secret`),
  };
}
