/**
 * What the agent console costs an agent's browser, and how fast a customer's message reaches the
 * agent's screen, against the issue's targets.
 *
 *   node --import tsx bench/console-load.ts [messages=40] [--no-build]
 *
 * 1. Bytes: builds the console (agent-console/build.mjs; `--no-build` reads dist/ as it is) and
 *    prints gzip -9 of what loads with the page (app.js, the chunks it imports statically,
 *    app.css) against the issue's 80 KB, each chunk loaded on demand, and the libraries alone
 *    (preact + @preact/signals + socket.io-client bundled here with the console's options).
 * 2. First load: the real `npm start` hub (embedded defaults, temp data dir) in Chromium with the
 *    cache disabled: time from navigation to the sign-in form, and from submitting it to the
 *    conversation list being live; the JavaScript bytes the network actually carried.
 * 3. Message → screen (the hub runs with RATE_LIMIT_VISITOR_PER_MIN=0): a website visitor (the demo shop's widget, in its own context) sends
 *    `messages` lines into the conversation the agent has open. In the agent's page an init script
 *    notes when each WebSocket frame carrying a line arrives, and a MutationObserver notes the
 *    first animation frame after the line's node enters the DOM; the difference is the time from
 *    arrival to the frame that paints it (one frame at 60 Hz = 16.7 ms). While the lines come, an
 *    animation-frame loop notes every frame the page runs, so each line can be checked against
 *    the frames themselves: it is painted within one frame when the first frame that ran after
 *    its arrival is the one that paints it. (Counting by time alone, ≤ 16.7 ms, would call a line
 *    late when a frame's callbacks run a few milliseconds later into that frame than the
 *    previous frame's did, although no frame passed it by.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { ConversationView } from '@switchboard/contracts';
import { eventually, tempDir } from '@switchboard/testkit';
import { apiToken, launchChromium } from '../test/support/console.js';
import { startHubProcess } from '../test/support/hub-process.js';
import { recordResults, target, type Target } from './lib/results.js';
import { machine, ms, percentile, table } from './lib/stats.js';

/** What this run measured, recorded in bench/results.json at the end. */
const figures: Record<string, unknown> = {};
const targets: Target[] = [];

/** The issue's figure for the console's first load. */
const ISSUE_TARGET = 80 * 1024;
const FRAME_MS = 1000 / 60;

const consoleDir = (p: string) => fileURLToPath(new URL(`../agent-console/${p}`, import.meta.url));
const dist = (f: string) => consoleDir(`dist/${f}`);
const gzip = (code: Uint8Array | string) => gzipSync(code, { level: 9 }).length;
const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;

/** A built file's static imports (`import … from "./x.js"`) and dynamic ones (`import("./x.js")`). */
function imports(file: string): { static: string[]; dynamic: string[] } {
  const js = readFileSync(dist(file), 'utf8');
  return {
    static: [...js.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["']\.\/([\w.-]+\.js)["']/g)].map((m) => m[1]!),
    dynamic: [...js.matchAll(/import\(\s*["']\.\/([\w.-]+\.js)["']\s*\)/g)].map((m) => m[1]!),
  };
}

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

function sizes(): void {
  const size = (files: Iterable<string>) => [...files].reduce((sum, f) => sum + gzip(readFileSync(dist(f))), 0);
  const page = closure('app.js');
  const css = gzip(readFileSync(dist('app.css')));
  const first = size(page) + css;
  const lazy: [string, string][] = [];
  const entries = new Set([...page].flatMap((f) => imports(f).dynamic));
  for (const entry of entries) {
    const files = [...closure(entry)].filter((f) => !page.has(f));
    for (const f of files) for (const d of imports(f).dynamic) entries.add(d);
    lazy.push([`  ${entry.replace(/-\w+\.js$/, '')}`, bytes(size(files))]);
  }
  lazy.sort((a, b) => a[0].localeCompare(b[0]));
  const everything = readdirSync(consoleDir('dist')).filter((f) => f.endsWith('.js'));
  figures.bytes = { firstLoadJs: size(page), firstLoadCss: css, firstLoadTotal: first, everyChunkJs: size(everything) };
  targets.push(target('first load gzip ≤ issue target', first, 'atMost', ISSUE_TARGET, 'B'));
  table('console bytes (gzip -9)', [
    ['first load: JS (app.js + static chunks)', bytes(size(page))],
    ['first load: app.css', bytes(css)],
    ['first load total', `${bytes(first)} — target ${bytes(ISSUE_TARGET)}: ${first <= ISSUE_TARGET ? 'met' : 'NOT met'}`],
    ['every chunk together (JS)', bytes(size(everything))],
    ['loaded on demand:', ''],
    ...lazy,
  ]);
}

async function libraries(): Promise<void> {
  const out = await build({
    stdin: {
      contents: "import { render, h } from 'preact'; import { useState } from 'preact/hooks'; import { signal, computed } from '@preact/signals'; import { io } from 'socket.io-client'; console.log(render, h, useState, signal, computed, io);",
      resolveDir: consoleDir('src'),
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    minify: true,
    legalComments: 'none',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  table('the raw components alone, bundled the same way', [['preact + hooks + @preact/signals + socket.io-client', bytes(gzip(out.outputFiles[0]!.contents))]]);
}

declare global {
  interface Window {
    __frames: Record<string, number>;
    __painted: Record<string, number>;
    __inserted: Record<string, number>;
    /** For each line, the timestamp of the frame that painted it (the rAF argument). */
    __paintedFrame: Record<string, number>;
    /** Every frame while the lines come: its timestamp and when its callbacks ran. */
    __loop: { frame: number; ran: number }[];
    __loopOn: boolean;
  }
}

async function live(messages: number): Promise<void> {
  const data = tempDir('sb-bench-console');
  // The widget allows a visitor 30 messages a minute; the bench sends faster than a person.
  const hub = await startHubProcess({ RATE_LIMIT_VISITOR_PER_MIN: '0' }, data.dir);
  const browser = await launchChromium();
  try {
    const token = await apiToken(hub.url);
    const agentContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await agentContext.addInitScript(() => {
      window.__frames = {};
      window.__painted = {};
      window.__inserted = {};
      window.__paintedFrame = {};
      window.__loop = [];
      window.__loopOn = false;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          // Registered before socket.io's own handler, so this is the arrival time.
          this.addEventListener('message', (e) => {
            const m = typeof e.data === 'string' ? /\[bench:\d+\]/.exec(e.data) : null;
            if (m && !(m[0] in window.__frames)) window.__frames[m[0]] = performance.now();
          });
        }
      };
      new MutationObserver((records) => {
        for (const r of records)
          for (const node of r.addedNodes) {
            const m = /\[bench:\d+\]/.exec(node.textContent ?? '');
            if (m && !(m[0] in window.__painted)) {
              const key = m[0];
              window.__painted[key] = -1;
              window.__inserted[key] = performance.now();
              requestAnimationFrame((frame) => {
                window.__painted[key] = performance.now();
                window.__paintedFrame[key] = frame;
              });
            }
          }
      }).observe(document, { childList: true, subtree: true });
    });
    const agent = await agentContext.newPage();
    const cdp = await agentContext.newCDPSession(agent);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let jsBytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number; requestId: string }) => {
      if (jsRequests.has(e.requestId)) jsBytes += e.encodedDataLength;
    });
    const jsRequests = new Set<string>();
    cdp.on('Network.responseReceived', (e: { requestId: string; type: string }) => {
      if (e.type === 'Script') jsRequests.add(e.requestId);
    });

    const t0 = performance.now();
    await agent.goto(hub.url + '/');
    await agent.getByTestId('login-email').waitFor();
    const toForm = performance.now() - t0;
    await agent.getByTestId('login-email').fill('admin@demo.switchboard.local');
    await agent.getByTestId('login-password').fill('switchboard-demo');
    const t1 = performance.now();
    await agent.getByTestId('login-submit').click();
    await agent.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
    await agent.locator('[data-testid="conversation-item"], .empty-list').first().waitFor();
    const toLive = performance.now() - t1;

    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(hub.url + '/demo');
    await visitor.locator('[data-sb="launcher"]').click();
    const say = async (text: string) => {
      await visitor.locator('[data-sb="composer"]').fill(text);
      await visitor.locator('[data-sb="send"]').click();
    };
    const opening = `bench opening ${Date.now()}`;
    await say(opening);
    let conv: ConversationView | undefined;
    await eventually(async () => {
      const res = await fetch(`${hub.url}/api/v1/conversations?status=all&limit=100`, { headers: { authorization: `Bearer ${token}` } });
      conv = ((await res.json()) as { items: ConversationView[] }).items.find((c) => c.lastMessage?.text === opening);
      return !!conv;
    }, 15_000, 'the visitor’s conversation reaches the team');
    await agent.locator(`[data-testid="conversation-item"][data-id="${conv!.id}"]`).click();
    await agent.getByText(opening).waitFor();

    // A string, so the bundler's helpers (it names functions) never reach the page.
    await agent.evaluate(`(() => {
      window.__loopOn = true;
      const tick = (frame) => {
        window.__loop.push({ frame, ran: performance.now() });
        if (window.__loopOn) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    for (let i = 0; i < messages; i++) {
      await say(`[bench:${i}]`);
      await agent.waitForFunction((key) => (window.__painted[key] ?? -1) > 0, `[bench:${i}]`, { timeout: 10_000 });
    }
    const { frames, painted, inserted, paintedFrame, loop } = await agent.evaluate(() => {
      window.__loopOn = false;
      return { frames: window.__frames, painted: window.__painted, inserted: window.__inserted, paintedFrame: window.__paintedFrame, loop: window.__loop };
    });
    // Frames passed by: how many frames ran after a line arrived before the one that painted it.
    const passedBy = Object.keys(paintedFrame)
      .filter((k) => frames[k] !== undefined)
      .map((k) => loop.filter((f) => f.ran > frames[k]! && f.frame < paintedFrame[k]!).length);
    const gaps = loop.slice(1).map((f, i) => f.frame - loop[i]!.frame);
    const delays = Object.keys(painted)
      .filter((k) => frames[k] !== undefined)
      .map((k) => painted[k]! - frames[k]!);
    const work = Object.keys(inserted)
      .filter((k) => frames[k] !== undefined)
      .map((k) => inserted[k]! - frames[k]!);
    const within = passedBy.filter((n) => n === 0).length;
    const withinByTime = delays.filter((d) => d <= FRAME_MS).length;
    figures.live = {
      navigationToFormMs: toForm,
      signInToLiveMs: toLive,
      jsBytes,
      messages: delays.length,
      arrivalToDomP50Ms: percentile(work, 50),
      arrivalToDomP90Ms: percentile(work, 90),
      arrivalToPaintP50Ms: percentile(delays, 50),
      arrivalToPaintP90Ms: percentile(delays, 90),
      paintedWithinOneFrame: within,
      paintedWithin16_7Ms: withinByTime,
      frameIntervalP50Ms: percentile(gaps, 50),
      frameIntervalMaxMs: Math.max(...gaps),
    };
    targets.push(target('messages painted in the first frame after arrival', within, 'atLeast', passedBy.length));
    table('first load in Chromium (cache disabled, loopback)', [
      ['navigation → sign-in form', ms(toForm, 0)],
      ['sign in → list live', ms(toLive, 0)],
      ['JavaScript carried by the network', bytes(jsBytes)],
    ]);
    table(`customer message → agent's screen (${delays.length} messages, open conversation)`, [
      ['frame arrival → in the DOM (our JavaScript), p50', ms(percentile(work, 50))],
      ['  p90', ms(percentile(work, 90))],
      ['frame arrival → painting frame, p50', ms(percentile(delays, 50))],
      ['  p90', ms(percentile(delays, 90))],
      ['  max', ms(Math.max(...delays))],
      ['  arrival → painting frame ≤ 16.7 ms', `${withinByTime}/${delays.length}`],
      ['frames the page ran meanwhile: interval p50 / max', `${ms(percentile(gaps, 50))} / ${ms(Math.max(...gaps))}`],
      ['painted in the first frame after arrival', `${within}/${passedBy.length} — target: within one frame: ${within === passedBy.length ? 'met' : 'NOT met'}`],
    ]);
  } finally {
    await browser.close();
    await hub.stop();
    data.remove();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const messages = Number(args.find((a) => /^\d+$/.test(a)) ?? 40);
  console.log(`console-load — ${await machine()}`);
  if (!args.includes('--no-build')) execFileSync(process.execPath, [consoleDir('build.mjs')], { stdio: 'ignore' });
  sizes();
  await libraries();
  await live(messages);
  recordResults('console-load', figures, targets, { messages, build: !args.includes('--no-build') });
}

await main();
