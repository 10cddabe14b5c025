import type { KbSettingsRecord } from '../articles/records.js';

export interface Theme {
  /** `#rrggbb`, validated: it is written into the stylesheet. */
  color: string;
  /** Text colour readable on `color`. */
  onColor: string;
  /** An https URL, or null. */
  logoUrl: string | null;
}

const DEFAULT_COLOR = '#2563eb';

export function themeOf(settings: Pick<KbSettingsRecord, 'color' | 'logoUrl'>): Theme {
  const color = /^#[0-9a-f]{6}$/i.test(settings.color) ? settings.color.toLowerCase() : DEFAULT_COLOR;
  return { color, onColor: luminance(color) > 0.45 ? '#111827' : '#ffffff', logoUrl: httpsUrl(settings.logoUrl) };
}

function httpsUrl(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The whole stylesheet, inline (the CSP allows inline styles, and it saves a request). */
export function stylesheet(theme: Theme): string {
  return `:root{--brand:${theme.color};--on-brand:${theme.onColor};--text:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f9fafb;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--text);background:#fff}
a{color:var(--brand)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--brand);outline-offset:2px}
.wrap{max-width:64rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-999px}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{background:var(--brand);color:var(--on-brand)}
.top .wrap{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:center;justify-content:space-between;padding-top:.75rem;padding-bottom:.75rem}
.brand{display:flex;gap:.6rem;align-items:center;color:inherit;text-decoration:none;font-weight:600;font-size:1.15rem}
.brand img{height:2rem;width:auto;max-width:10rem}
.search{display:flex;gap:.5rem;flex:1 1 18rem;max-width:32rem}
.search input{flex:1;min-width:0;font:inherit;padding:.5rem .75rem;border:1px solid var(--line);border-radius:.5rem}
.search button,.vote button{font:inherit;padding:.5rem 1rem;border-radius:.5rem;border:1px solid var(--brand);background:var(--brand);color:var(--on-brand);cursor:pointer}
.top .search button,.hero .search button{background:var(--on-brand);color:var(--brand);border-color:var(--on-brand);font-weight:600}
.hero{background:var(--brand);color:var(--on-brand);padding:2rem 0 2.5rem}
.hero h1{margin:0 0 1rem;font-size:clamp(1.6rem,4vw,2.4rem);line-height:1.2}
.hero .search{max-width:40rem}
main.wrap{padding-top:1.5rem;padding-bottom:3rem}
h1{line-height:1.25}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1rem;padding:0;list-style:none}
.card{border:1px solid var(--line);border-radius:.75rem;padding:1rem 1.25rem;background:#fff}
.card h2{margin:0 0 .25rem;font-size:1.15rem}
.card h2 a{text-decoration:none}
.card p{margin:0 0 .5rem;color:var(--muted)}
.list{padding-left:1.1rem;margin:.5rem 0}
.list li{margin:.25rem 0}
.summary{color:var(--muted);margin:.15rem 0 0}
.crumbs ol{display:flex;flex-wrap:wrap;gap:.35rem;padding:0;margin:0 0 1rem;list-style:none;font-size:.9rem;color:var(--muted)}
.crumbs li+li::before{content:"›";margin-right:.35rem}
.meta{color:var(--muted);font-size:.9rem}
.body{max-width:46rem;overflow-wrap:break-word}
.body img{max-width:100%;height:auto}
.body pre{background:var(--bg);border:1px solid var(--line);border-radius:.5rem;padding:.75rem;overflow:auto}
.body code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.body table{border-collapse:collapse;display:block;overflow:auto}
.body th,.body td{border:1px solid var(--line);padding:.35rem .6rem}
.body blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:4px solid var(--line);color:var(--muted)}
.vote{margin:2.5rem 0 1rem;padding:1rem 1.25rem;border:1px solid var(--line);border-radius:.75rem;max-width:46rem;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.vote h2{font-size:1rem;margin:0}
.vote button{padding:.35rem 1.1rem}
.vote p{margin:0;font-weight:600}
.langs{font-size:.9rem;color:var(--muted)}
.langs ul{display:inline;padding:0;margin:0;list-style:none}
.langs li{display:inline;margin-right:.75rem}
.results{list-style:none;padding:0}
.results li{padding:.75rem 0;border-bottom:1px solid var(--line)}
.results a{font-size:1.1rem}
mark{background:#fef08a;color:inherit;padding:0 .1em}
.pager{display:flex;gap:1rem;margin-top:1.5rem}
footer{border-top:1px solid var(--line);padding:1rem 0;color:var(--muted)}
@media (max-width:40rem){.top .wrap{flex-direction:column;align-items:stretch}.search{flex:0 0 auto;max-width:none}}
@media (prefers-reduced-motion:no-preference){html{scroll-behavior:smooth}}`;
}
