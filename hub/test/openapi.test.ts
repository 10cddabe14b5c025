import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startWorld, type World } from './world.js';

describe('OpenAPI document', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld('openapi');
  });
  afterAll(async () => {
    await w?.close();
  });

  it('describes every API route with a tag and a summary, and both credentials', async () => {
    const doc = (await call(w.app, 'GET', '/docs/json')).body as {
      paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['bearer', 'apiKey']));
    const missing: string[] = [];
    for (const r of w.routes) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      if (!op?.tags?.length || !op.summary) missing.push(`${r.method} ${r.url}`);
    }
    expect(missing).toEqual([]);
  });
});
