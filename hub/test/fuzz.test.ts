import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXEMPT, VALID_BODIES, fill, routeKey } from './route-fixtures.js';
import { call, counts, startWorld, type RouteEntry, type World } from './world.js';

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HUGE = 'x'.repeat(300_000);

/** A value of another JSON type that the server's type coercion cannot turn into the original's. */
function wrongType(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return 'not-an-object';
  return { wrong: true };
}

interface Case {
  name: string;
  raw?: string;
  body?: unknown;
}

function casesFor(r: RouteEntry, valid: Record<string, unknown> | undefined): Case[] {
  const cases: Case[] = [
    { name: 'malformed JSON', raw: '{"text": "unterminated' },
    { name: 'JSON that is not an object', raw: '"just a string"' },
    { name: 'an array body', body: [] },
  ];
  if (!r.body) return cases;
  if (!valid) throw new Error(`${routeKey(r)} has a body schema but no valid body in hub/test/route-fixtures.ts`);
  cases.push({ name: 'an unknown field', body: { ...valid, unexpectedField: 'surprise' } });
  cases.push({ name: 'null', raw: 'null' });
  for (const prop of Object.keys(r.body.properties ?? {})) {
    const base = prop in valid ? valid[prop] : 'x';
    cases.push({ name: `${prop} of the wrong type`, body: { ...valid, [prop]: wrongType(base) } });
    cases.push({ name: `${prop} as a huge string`, body: { ...valid, [prop]: HUGE } });
    cases.push({ name: `${prop} as a deep object`, body: { ...valid, [prop]: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) } });
  }
  return cases;
}

/**
 * Every write route of the hub's route table, fed malformed JSON, wrong types, huge strings and
 * unknown fields: the answer is always a 4xx in the error format, and nothing is stored.
 */
describe('fuzz pass over every write route', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('fuzz');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('answers 4xx with the error format and stores nothing', async () => {
    const writes = w.routes.filter((r) => WRITE.has(r.method) && !EXEMPT[routeKey(r)]);
    expect(writes.length).toBeGreaterThan(10);
    const failures: string[] = [];
    let tried = 0;
    for (const r of writes) {
      const url = fill(r.url, w.a);
      const valid = VALID_BODIES[routeKey(r)]?.(w.a) as Record<string, unknown> | undefined;
      const before = await counts(w.hub);
      for (const c of casesFor(r, valid)) {
        tried++;
        const res = await call(w.app, r.method, url, { ...(r.isPublic ? {} : { token: w.a.adminToken }), ...(c.raw !== undefined ? { raw: c.raw } : { body: c.body }) });
        const formatted = typeof res.body?.error?.code === 'string' && typeof res.body?.error?.message === 'string';
        if (res.status < 400 || res.status >= 500 || !formatted) failures.push(`${routeKey(r)} with ${c.name} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      const after = await counts(w.hub);
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${routeKey(r)} stored something: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(100);
    // The fuzzing tenant's admin is still signed in: no request above signed it out or changed it.
    expect((await call(w.app, 'GET', '/api/v1/me', { token: w.a.adminToken })).status).toBe(200);
  });
});
