import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * Byte budget for what an agent's browser downloads (gzip). Raise it on purpose, in the same
 * change that needs the bytes, never to make this pass.
 *
 * app.js is split (esbuild `splitting`): what loads with the page is app.js plus the chunks it
 * imports statically; screens not every agent opens are chunks fetched by `import()` on first use.
 */
const BUDGET = {
  /**
   * app.js and every chunk it imports: what the console needs before it shows anything. With
   * app.css this is the first load the issue holds to 80 KB (bench/console-load.ts prints it).
   */
  page: 60 * 1024,
  'app.css': 9.5 * 1024,
  /** The knowledge base authoring screens, with the chunks they bring beyond the page's. */
  kb: 12 * 1024,
  /** The administration area (#/admin): its frame and every tab, with the chunks they share, together. */
  admin: 36 * 1024,
  /** Reports (#/reports): the screen and the chart library, loaded only there. */
  reports: 20 * 1024,
  /** The Russian catalogue of every screen, loaded only when the console speaks Russian. */
  ru: 16 * 1024,
  /** Every other screen loaded on first use (channel settings, each administration tab, search, the snooze menu, the canned-response picker…). */
  lazy: 4.5 * 1024,
};
/** Only the KB editor carries this (its data-testid): where it shows up tells where the editor is. */
const EDITOR_MARKER = '"kb-editor"';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const built = existsSync(join(dist, 'app.js'));
const read = (file: string) => readFileSync(join(dist, file), 'utf8');
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const total = (files: Iterable<string>) => [...files].reduce((n, f) => n + gz(f), 0);

/** Chunks a built file imports: statically (`import … from "./x.js"`) or on demand (`import("./x.js")`). */
function imports(file: string): { static: string[]; dynamic: string[] } {
  const js = read(file);
  return {
    static: [...js.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]!),
    dynamic: [...js.matchAll(/import\(\s*["']\.\/([\w.-]+\.js)["']\s*\)/g)].map((m) => m[1]!),
  };
}

/** A file and everything it imports statically, transitively: what one fetch of it brings. */
function closure(file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of imports(f).static) visit(i);
  };
  visit(file);
  return seen;
}

describe('agent console bundle size', () => {
  it('is built (npm test builds it; alone: npm run build -w @switchboard/agent-console)', () => {
    expect(built).toBe(true);
  });

  const page = built ? closure('app.js') : new Set<string>();
  /**
   * Each chunk loaded on demand — by the page or by another such chunk (channel settings load the
   * website inbox settings) — with what it brings beyond the page's chunks.
   */
  const lazy: { entry: string; files: string[] }[] = [];
  if (built) {
    const entries = new Set([...page].flatMap((f) => imports(f).dynamic));
    for (const entry of entries) {
      const files = [...closure(entry)].filter((f) => !page.has(f));
      lazy.push({ entry, files });
      for (const f of files) for (const d of imports(f).dynamic) entries.add(d);
    }
  }
  const kb = lazy.find((l) => l.files.some((f) => read(f).includes(EDITOR_MARKER)));
  const isAdmin = (l: { entry: string }) => /^(admin-view|[\w-]+-tab|canned-admin)-\w+\.js$/.test(l.entry);
  const isReports = (l: { entry: string }) => /^(reports-view|report-charts)-\w+\.js$/.test(l.entry);
  const isRussian = (l: { entry: string }) => /^ru-\w+\.js$/.test(l.entry);
  const together = (group: typeof lazy) => total(new Set(group.flatMap((l) => l.files)));

  it(`app.js and the chunks it imports stay under ${BUDGET.page / 1024} kB gzip`, () => {
    expect(page.size).toBeGreaterThan(0);
    expect(total(page)).toBeLessThan(BUDGET.page);
  });

  it('the page loads app.js, one shared chunk and at most esbuild’s tiny helper chunk (a lazy screen importing more of the app’s modules splits it further)', () => {
    const chunks = [...page].filter((f) => f !== 'app.js');
    expect(page.has('app.js')).toBe(true);
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(chunks.length).toBeLessThanOrEqual(2);
    for (const c of chunks) expect(c).toMatch(/^chunk-\w+\.js$/);
    // Only one chunk carries app code; another may only be a few hundred bytes of helpers.
    expect(chunks.filter((c) => gz(c) > 512).length).toBe(1);
  });

  it(`dist/app.css stays under ${BUDGET['app.css'] / 1024} kB gzip`, () => {
    expect(gz('app.css')).toBeLessThan(BUDGET['app.css']);
  });

  it('the knowledge base editor is not in what loads with the page, but in a chunk loaded on demand', () => {
    for (const f of page) expect(read(f), f).not.toContain(EDITOR_MARKER);
    expect(kb, 'a lazily loaded chunk with the KB editor').toBeDefined();
    expect(kb!.entry).toMatch(/^kb-view-[\w]+\.js$/);
  });

  it(`the knowledge base authoring chunks stay under ${BUDGET.kb / 1024} kB gzip`, () => {
    expect(total(kb!.files)).toBeLessThan(BUDGET.kb);
  });

  it(`the administration area, every tab together, stays under ${BUDGET.admin / 1024} kB gzip`, () => {
    const admin = lazy.filter(isAdmin);
    expect(admin.length).toBeGreaterThan(1);
    expect(together(admin)).toBeLessThan(BUDGET.admin);
  });

  it(`reports, screen and charts together, stay under ${BUDGET.reports / 1024} kB gzip`, () => {
    const reports = lazy.filter(isReports);
    expect(reports.length).toBe(2);
    expect(together(reports)).toBeLessThan(BUDGET.reports);
  });

  it(`the Russian catalogue stays under ${BUDGET.ru / 1024} kB gzip`, () => {
    const ru = lazy.filter(isRussian);
    expect(ru.length).toBe(1);
    expect(together(ru)).toBeLessThan(BUDGET.ru);
  });

  it(`every other screen loaded on demand stays under ${BUDGET.lazy / 1024} kB gzip`, () => {
    const others = lazy.filter((l) => l !== kb);
    expect(others.map((l) => l.entry.replace(/-\w+\.js$/, '')).sort()).toEqual([
      'admin-view',
      'agents-tab',
      'api-keys-tab',
      'article-search',
      'audit-log',
      'bulk-bar',
      'canned-admin',
      'canned-picker',
      'channel-connect-view',
      'channels-view',
      'contact-card',
      'crm-tab',
      'dead-letters-tab',
      'fields-tab',
      'hours-tab',
      'invite-view',
      'macro-menu',
      'macros-tab',
      'message-threads',
      'notify-view',
      'report-charts',
      'reports-view',
      'ru',
      'rules-tab',
      'search-view',
      'shortcuts',
      'snooze-menu',
      'teams-tab',
      'ticket-fields-view',
      'web-identity-view',
      'web-inbox-settings-view',
      'webhook-tools',
      'webhooks-tab',
    ]);
    for (const l of others.filter((o) => !isAdmin(o) && !isReports(o) && !isRussian(o))) expect(total(l.files), l.entry).toBeLessThan(BUDGET.lazy);
  });

  it('index.html loads the bundle from /console/ and preloads the chunks app.js imports', () => {
    const html = read('index.html');
    expect(html).toMatch(/<script type="module" src="\/console\/app\.js\?v=[0-9a-f]+"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="\/console\/app\.css\?v=[0-9a-f]+">/);
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\/console\/([\w.-]+\.js)">/g)].map((m) => m[1]);
    expect(preloaded.sort()).toEqual([...page].filter((f) => f !== 'app.js').sort());
  });

  it('every chunk a file imports was built (chunks resolve relative to app.js, under /console/)', () => {
    const files = new Set(readdirSync(dist));
    for (const f of files) {
      if (!f.endsWith('.js')) continue;
      const { static: s, dynamic: d } = imports(f);
      for (const i of [...s, ...d]) expect(files.has(i), `${f} imports ${i}`).toBe(true);
    }
  });

  it('carries no runtime schema library (contracts are imported as types only)', () => {
    for (const f of readdirSync(dist).filter((x) => x.endsWith('.js'))) expect(read(f), f).not.toMatch(/typebox/i);
  });
});
