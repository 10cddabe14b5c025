import type { CsatView } from '@switchboard/contracts';
import { intlLocale, locale } from '../i18n/index.js';

/**
 * The customer's rating of the conversation (CSAT, docs/csat.md), in the thread's header once
 * they answered the survey: a face and "4/5", the comment beside it (cut short; whole in the
 * tooltip). Both languages here, as the badge is all the text there is.
 */
const TEXT = {
  en: { rated: 'Customer rating: {rating} of 5', at: 'rated {when}' },
  ru: { rated: 'Оценка клиента: {rating} из 5', at: 'оценено {when}' },
};
const FACES = ['😞', '😟', '😐', '😊', '😄'];
const TONE = ['#b91c1c', '#c2410c', '#64748b', '#15803d', '#15803d'];

export function CsatBadge({ csat }: { csat: CsatView | undefined }) {
  if (!csat) return null;
  const x = TEXT[locale.value];
  const rated = x.rated.replace('{rating}', String(csat.rating));
  const when = new Date(csat.answeredAt).toLocaleString(intlLocale.value, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <span
      class="csat-badge"
      data-testid="csat-badge"
      data-rating={csat.rating}
      title={`${rated}, ${x.at.replace('{when}', when)}${csat.comment ? `: “${csat.comment}”` : ''}`}
      style={{ display: 'inline-flex', alignItems: 'center', gap: '4px', maxWidth: '260px', fontSize: '12px', color: TONE[csat.rating - 1] }}
    >
      <span aria-hidden="true">{FACES[csat.rating - 1]}</span>
      <strong aria-hidden="true">{csat.rating}/5</strong>
      <span class="sr-only">{rated}.</span>
      {csat.comment && (
        <span data-testid="csat-comment" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', color: '#475569' }}>
          “{csat.comment}”
        </span>
      )}
    </span>
  );
}
