import type { CsatRecord } from '../repositories/index.js';
import { csatTexts, fill, type CsatLocale } from './texts.js';

/**
 * The survey page for customers outside the website (`/csat/<token>`): a plain HTML form that
 * works without JavaScript and under the hub's CSP (no script at all; the one inline <style> is
 * allowed). A handful of elements, so it is written as a template whose every value passes
 * through `esc` rather than pulling a renderer into the inbox service.
 */

const esc = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const FACES = ['😞', '😟', '😐', '😊', '😄'];

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#f3f4f6}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.35rem;margin:0 0 .25rem}
.team{color:#6b7280;margin:0 0 1rem}
fieldset{border:0;padding:0;margin:0 0 1rem}
legend{font-weight:600;margin-bottom:.5rem}
.scale{display:flex;gap:.4rem;flex-wrap:wrap}
.scale label{flex:1 1 5.5rem;display:flex;flex-direction:column;align-items:center;gap:.2rem;padding:.5rem .25rem;border:1px solid #d1d5db;border-radius:10px;cursor:pointer;font-size:.8rem;text-align:center}
.scale input{position:absolute;opacity:0;width:1px;height:1px}
.scale .face{font-size:1.8rem;line-height:1}
.scale label:has(input:checked){border-color:#4f46e5;background:#eef2ff}
.scale label:has(input:focus-visible){outline:2px solid #4f46e5;outline-offset:2px}
textarea{display:block;width:100%;margin:.3rem 0 1rem;padding:.5rem;border:1px solid #d1d5db;border-radius:8px;font:inherit}
button{padding:.6rem 1.4rem;border:0;border-radius:8px;background:#4f46e5;color:#fff;font:inherit;font-weight:600;cursor:pointer}
.ok{padding:.75rem 1rem;border-radius:8px;background:#ecfdf5;color:#065f46}
.err{padding:.75rem 1rem;border-radius:8px;background:#fef2f2;color:#991b1b}
.note{color:#6b7280;font-size:.9rem}
blockquote{margin:0 0 1rem;padding-left:.75rem;border-left:3px solid #d1d5db;color:#374151;white-space:pre-wrap}
`;

function documentOf(locale: CsatLocale, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">` +
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`
  );
}

const utc = (d: Date | string) => new Date(d).toISOString().slice(0, 16).replace('T', ' ');

export interface SurveyPage {
  locale: CsatLocale;
  /** The team's name, shown under the title. */
  team: string;
  survey: CsatRecord;
  /** The token as it is in the URL: the form posts back to it. */
  token: string;
  /** The answer can still be given or changed. */
  editable: boolean;
  /** A refusal to show above the form (with its code in data-code). */
  error?: { code: string; message: string };
  /** Values to put back in the form after a refusal. */
  draft?: { rating?: number; comment?: string };
}

/** The survey: the form while it may be answered or changed, the answer read-only after that. */
export function surveyPage(p: SurveyPage): string {
  const t = csatTexts[p.locale];
  const { survey } = p;
  const parts: string[] = [`<h1>${esc(survey.rating === null ? t.title : t.thanks)}</h1>`, `<p class="team">${esc(p.team)}</p>`];
  if (p.error) parts.push(`<p class="err" role="alert" data-code="${esc(p.error.code)}">${esc(p.error.message)}</p>`);
  if (survey.rating !== null) {
    parts.push(
      `<p class="ok" role="status" data-rating="${survey.rating}">${esc(fill(t.yours, { rating: survey.rating, label: t.ratings[survey.rating - 1]! }))}</p>`,
    );
    if (survey.comment) parts.push(`<blockquote>${esc(survey.comment)}</blockquote>`);
    if (!p.editable && !p.error) parts.push(`<p class="note">${esc(t.closed)}</p>`);
    else if (survey.editableUntil) parts.push(`<p class="note">${esc(fill(t.editableUntil, { time: utc(survey.editableUntil) }))}</p>`);
  }
  if (p.editable) {
    const rating = p.draft?.rating ?? survey.rating ?? undefined;
    const comment = p.draft?.comment ?? survey.comment ?? '';
    const choices = t.ratings
      .map(
        (label, i) =>
          `<label><input type="radio" name="rating" value="${i + 1}" required${rating === i + 1 ? ' checked' : ''}>` +
          `<span class="face" aria-hidden="true">${FACES[i]}</span><span>${i + 1} — ${esc(label)}</span></label>`,
      )
      .join('');
    parts.push(
      // Relative action: the page's own URL, whatever path the hub is served under.
      `<form method="post" action="${esc(encodeURIComponent(p.token))}">` +
        `<fieldset><legend>${esc(t.question)}</legend><div class="scale">${choices}</div></fieldset>` +
        `<label for="comment">${esc(t.comment)}</label>` +
        `<textarea id="comment" name="comment" rows="4" maxlength="2000">${esc(comment)}</textarea>` +
        `<button type="submit">${esc(survey.rating === null ? t.send : t.change)}</button></form>`,
    );
  }
  return documentOf(p.locale, `${survey.rating === null ? t.title : t.thanks} — ${p.team}`, parts.join(''));
}

/** An unknown (or mistyped) link. */
export function notFoundPage(locale: CsatLocale): string {
  const t = csatTexts[locale];
  return documentOf(locale, t.notFoundTitle, `<h1>${esc(t.notFoundTitle)}</h1><p>${esc(t.notFound)}</p>`);
}

/** Too many requests from one address. */
export function tooManyPage(locale: CsatLocale): string {
  const t = csatTexts[locale];
  return documentOf(locale, t.title, `<h1>${esc(t.title)}</h1><p class="err" role="alert" data-code="SB_ERR_RATE_LIMITED">${esc(t.tooMany)}</p>`);
}
