import { describe, expect, it } from 'vitest';
import { automationApi } from './automation-api.js';

describe('automation API', () => {
  it('calls the documented routes with ids escaped', async () => {
    const calls: string[] = [];
    const api = automationApi({ call: async (method, path, body) => (calls.push(`${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`), { items: [] }) as never });
    await api.reorder(['r2', 'r1']);
    await api.updateRule('r/1', { enabled: false });
    await api.dryRun('r1', 'c1');
    await api.runMacro('m 1', 'c1');
    expect(calls).toEqual([
      'POST /api/v1/automation/rules/reorder {"ids":["r2","r1"]}',
      'PATCH /api/v1/automation/rules/r%2F1 {"enabled":false}',
      'POST /api/v1/automation/rules/r1/dry-run {"conversationId":"c1"}',
      'POST /api/v1/macros/m%201/run {"conversationId":"c1"}',
    ]);
  });
});
