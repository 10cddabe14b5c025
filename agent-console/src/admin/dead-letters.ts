import type { ExtraApi } from '../api.js';

/** What the console shows of a letter GET /api/v1/dead-letters lists (inbox-service DeadLetterView, docs/api.md). */
export interface DeadLetter {
  id: string;
  source: string;
  reason: string;
  deadAt: string;
  preview: string;
}

const PATH = '/api/v1/dead-letters';

/**
 * The letters still waiting, newest first: the API's largest page (200). Handling them brings the
 * older ones into the next load.
 */
export const deadLetterApi = (http: Pick<ExtraApi, 'call'>) => ({
  waiting: () => http.call<{ items: DeadLetter[] }>('GET', `${PATH}?status=dead&limit=200`).then((p) => p.items),
  settle: (id: string, action: 'retry' | 'discard') => http.call<unknown>('POST', `${PATH}/${id}/${action}`),
});
