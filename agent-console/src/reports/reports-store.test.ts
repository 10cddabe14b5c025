import { describe, expect, it } from 'vitest';
import { ReportsStore, type ReportsHttp } from './reports-store.js';

/** A fake reports API: records the paths asked for and answers each when the test says. */
function fakeHttp() {
  const asked: { path: string; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  const downloads: string[] = [];
  const http: ReportsHttp = {
    call: <T,>(_method: 'GET', path: string) => new Promise<T>((resolve, reject) => asked.push({ path, resolve: resolve as (v: unknown) => void, reject })),
    download: async (path: string) => {
      downloads.push(path);
      return new Blob(['figure,value\n']);
    },
  };
  const answer = (match: string, body: unknown) => {
    const i = asked.findIndex((a) => a.path.includes(match));
    if (i < 0) throw new Error(`nothing asked for ${match}: ${asked.map((a) => a.path).join(', ')}`);
    asked.splice(i, 1)[0]!.resolve(body);
  };
  return { http, asked, downloads, answer };
}

const now = () => new Date('2026-03-10T12:00:00Z');
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ReportsStore', () => {
  it('asks every section for the last 7 days in the chosen zone', async () => {
    const api = fakeHttp();
    const reports = new ReportsStore({ http: api.http, timeZone: 'Europe/Berlin', now });
    void reports.load();
    const q = 'from=2026-03-04&to=2026-03-10&tz=Europe%2FBerlin';
    expect(api.asked.map((a) => a.path).sort()).toEqual(
      [
        `/api/v1/reports/summary?${q}`,
        `/api/v1/reports/volume?${q}&groupBy=day`,
        `/api/v1/reports/volume?${q}&groupBy=channel`,
        `/api/v1/reports/heatmap?${q}`,
        `/api/v1/reports/agents?${q}`,
      ].sort(),
    );
    expect(reports.sections.summary.value).toEqual({ loading: true, data: null, error: null });
    api.answer('summary', { conversations: 3 });
    await tick();
    expect(reports.sections.summary.value).toEqual({ loading: false, data: { conversations: 3 }, error: null });
  });

  it('drops an answer to an older choice that arrives after the newer one', async () => {
    const api = fakeHttp();
    const reports = new ReportsStore({ http: api.http, timeZone: 'UTC', now });
    void reports.load();
    reports.choosePreset('today');
    // Today: hour by hour.
    expect(api.asked.some((a) => a.path.includes('from=2026-03-10&to=2026-03-10') && a.path.includes('groupBy=hour'))).toBe(true);
    api.answer('summary?from=2026-03-10', { conversations: 1 });
    api.answer('summary?from=2026-03-04', { conversations: 7 });
    await tick();
    expect(reports.sections.summary.value.data).toEqual({ conversations: 1 });
  });

  it('keeps the last figures while the next load, and says why a section failed', async () => {
    const api = fakeHttp();
    const reports = new ReportsStore({ http: api.http, timeZone: 'UTC', now });
    void reports.load();
    api.answer('agents', { rows: [] });
    await tick();
    reports.setFilters({ channel: 'email' });
    expect(reports.sections.agents.value).toEqual({ loading: true, data: { rows: [] }, error: null });
    const i = api.asked.findIndex((a) => a.path.includes('agents') && a.path.includes('channel=email'));
    api.asked[i]!.reject(new Error('Only supervisors and admins can see reports.'));
    await tick();
    expect(reports.sections.agents.value).toEqual({ loading: false, data: { rows: [] }, error: 'Only supervisors and admins can see reports.' });
  });

  it('a custom period starts from the one shown, asks nothing while its dates are wrong', async () => {
    const api = fakeHttp();
    const reports = new ReportsStore({ http: api.http, timeZone: 'UTC', now });
    reports.choosePreset('custom');
    expect([reports.customFrom.value, reports.customTo.value]).toEqual(['2026-03-04', '2026-03-10']);
    const before = api.asked.length;
    reports.setCustom('2026-03-12', '2026-03-10');
    expect(api.asked.length).toBe(before);
    expect(reports.request.value).toEqual({ ok: false, error: 'The first day must not be after the last day.' });
    reports.setCustom('2026-02-01', '2026-02-28');
    expect(api.asked.filter((a) => a.path.includes('from=2026-02-01&to=2026-02-28'))).toHaveLength(5);
  });

  it('changing the grouping asks only for the breakdown', async () => {
    const api = fakeHttp();
    const reports = new ReportsStore({ http: api.http, timeZone: 'UTC', now });
    void reports.load();
    api.asked.length = 0;
    reports.setBreakdown('agent');
    expect(api.asked.map((a) => a.path)).toEqual(['/api/v1/reports/volume?from=2026-03-04&to=2026-03-10&tz=UTC&groupBy=agent']);
  });

  it('downloads a section as CSV with the period in the file name', async () => {
    const api = fakeHttp();
    const reports = new ReportsStore({ http: api.http, timeZone: 'America/New_York', now });
    reports.setBreakdown('team');
    const file = await reports.csv('breakdown');
    expect(api.downloads).toEqual(['/api/v1/reports/volume?from=2026-03-04&to=2026-03-10&tz=America%2FNew_York&groupBy=team&format=csv']);
    expect(file.fileName).toBe('volume-by-team-2026-03-04-2026-03-10.csv');
    expect(await file.blob.text()).toBe('figure,value\n');
    expect((await reports.csv('heatmap')).fileName).toBe('heatmap-2026-03-04-2026-03-10.csv');
  });
});
