import { useState } from 'preact/hooks';
import type { WidgetCsat } from '@switchboard/contracts';
import type { Chat } from './chat.js';
import { currentLocale } from './i18n.js';

/**
 * "How did we do?": the rating survey of a resolved conversation, above the composer — a chunk
 * loaded only when the hub asks (`csat:request`, or the session answer while the survey is open).
 * Its texts, both languages, live here rather than in the core's dictionary and the `ru` chunk:
 * they are needed once per resolved conversation, not on every chat.
 */
export const CSAT_TEXTS = {
  en: {
    ask: 'How did we do?',
    ratings: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    score: '{n} of 5: {label}',
    comment: 'Add a comment (optional)',
    send: 'Send rating',
    thanks: 'Thank you for your rating!',
    yours: 'You rated this conversation {n} of 5.',
    change: 'Change',
    later: 'Not now',
    failed: 'Not sent. Check your connection and try again.',
  },
  ru: {
    ask: 'Как мы справились?',
    ratings: ['Совсем не доволен', 'Не доволен', 'Нейтрально', 'Доволен', 'Очень доволен'],
    score: '{n} из 5: {label}',
    comment: 'Комментарий (необязательно)',
    send: 'Отправить оценку',
    thanks: 'Спасибо за оценку!',
    yours: 'Ваша оценка разговора: {n} из 5.',
    change: 'Изменить',
    later: 'Не сейчас',
    failed: 'Не отправлено. Проверьте соединение и попробуйте снова.',
  },
};

/** The survey's texts in the chat's current language (English unless Russian). */
export const csatTexts = () => CSAT_TEXTS[currentLocale().slice(0, 2).toLowerCase() == 'ru' ? 'ru' : 'en'];

/** Whether the visitor may (still) give or change the answer. */
export const changeable = (csat: WidgetCsat, now = Date.now()) => csat.rating === null || Date.parse(csat.editableUntil ?? '') > now;

const FACES = ['😞', '😟', '😐', '😊', '😄'];

const css = `.csat{margin:6px 12px;padding:10px 12px;border:1px solid var(--sb-line);border-radius:12px;background:var(--sb-soft)}\
.csat p{margin-bottom:6px;font-weight:600}.csat .err{font-weight:400}\
.faces{display:flex;justify-content:space-between}\
.faces button{font-size:24px;line-height:1;padding:4px 6px;border-radius:8px;filter:grayscale(1);opacity:.75}\
.faces button:hover,.faces [aria-pressed=true]{filter:none;opacity:1;background:#fff;box-shadow:0 0 0 2px var(--sb-accent)}\
.csat small{display:block;min-height:18px;color:var(--sb-muted);text-align:center}\
.csat textarea{display:block;width:100%;margin:4px 0 8px;padding:6px 9px;border:1px solid var(--sb-line);border-radius:8px;background:#fff;resize:none}\
.csat .row{display:flex;gap:10px;align-items:center;justify-content:flex-end}\
.go{padding:6px 12px;border-radius:8px;background:var(--sb-accent);color:#fff;font-weight:600}.go:disabled{opacity:.5}\
.csat .link{color:var(--sb-accent);text-decoration:underline}`;

/** Rendered by the panel while the chat's state holds a survey (it renders again with every change of it). */
export function Csat({ chat }: { chat: Chat }) {
  const csat = chat.state.get().csat!;
  const [editing, setEditing] = useState(false);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [dismissed, setDismissed] = useState(false);
  const x = csatTexts();
  if (dismissed) return null;
  const fill = (text: string, n: number) => text.replace('{n}', String(n)).replace('{label}', x.ratings[n - 1]!);

  if (csat.rating !== null && !editing) {
    return (
      <div class="csat" data-sb="csat" role="status">
        <style>{css}</style>
        <p data-sb="csat-thanks">{x.thanks}</p>
        <div class="row">
          <span data-sb="csat-rating-given" data-rating={csat.rating}>
            {FACES[csat.rating - 1]} {fill(x.yours, csat.rating)}
          </span>
          {changeable(csat) && (
            <button
              type="button"
              class="link"
              data-sb="csat-change"
              onClick={() => {
                setRating(csat.rating!);
                setComment(csat.comment ?? '');
                setEditing(true);
              }}
            >
              {x.change}
            </button>
          )}
        </div>
      </div>
    );
  }

  return (
    <div class="csat" data-sb="csat">
      <style>{css}</style>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!rating || busy) return;
          setBusy(true);
          setError('');
          const text = comment.trim();
          const res = await chat.rate({ rating, ...(text ? { comment: text } : {}) }).catch(() => null);
          setBusy(false);
          if (res?.ok) setEditing(false);
          else setError(res ? res.error.message : x.failed);
        }}
      >
        <p id="sb-csat-q">{x.ask}</p>
        <div class="faces" role="group" aria-labelledby="sb-csat-q">
          {FACES.map((face, i) => (
            <button
              type="button"
              key={face}
              data-sb="csat-rating"
              data-value={i + 1}
              aria-pressed={rating == i + 1}
              aria-label={fill(x.score, i + 1)}
              title={x.ratings[i]}
              onClick={() => setRating(i + 1)}
            >
              {face}
            </button>
          ))}
        </div>
        <small aria-live="polite">{rating ? x.ratings[rating - 1] : ''}</small>
        {rating > 0 && (
          <textarea
            data-sb="csat-comment"
            rows={2}
            maxLength={2000}
            placeholder={x.comment}
            aria-label={x.comment}
            value={comment}
            onInput={(e) => setComment(e.currentTarget.value)}
          />
        )}
        {error && (
          <p class="err" role="alert">
            {error}
          </p>
        )}
        <div class="row">
          {!editing && (
            <button type="button" class="link" onClick={() => setDismissed(true)}>
              {x.later}
            </button>
          )}
          <button type="submit" class="go" data-sb="csat-send" disabled={!rating || busy}>
            {x.send}
          </button>
        </div>
      </form>
    </div>
  );
}
