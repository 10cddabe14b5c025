/** The words of the survey outside the widget: the link message and the page, English and Russian. */
export type CsatLocale = 'en' | 'ru';

const en = {
  link: 'How did we do? Please rate this conversation, it takes a few seconds: {url}',
  title: 'Rate your conversation',
  question: 'How satisfied are you with the help you got?',
  ratings: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
  comment: 'Anything you want to add? (optional)',
  send: 'Send',
  change: 'Change my answer',
  thanks: 'Thank you for your feedback!',
  yours: 'Your rating: {rating} of 5 — {label}',
  editableUntil: 'You can change it until {time} (UTC).',
  closed: 'The answer can no longer be changed.',
  notFound: 'This survey link is not valid. It may have been mistyped, or the survey was removed.',
  notFoundTitle: 'Survey not found',
  pickRating: 'Choose a rating from 1 to 5.',
  tooMany: 'Too many attempts. Try again in a minute.',
};

const ru: typeof en = {
  link: 'Как мы справились? Пожалуйста, оцените разговор, это займёт несколько секунд: {url}',
  title: 'Оцените разговор',
  question: 'Насколько вы довольны помощью?',
  ratings: ['Совсем не доволен', 'Не доволен', 'Нейтрально', 'Доволен', 'Очень доволен'],
  comment: 'Хотите что-то добавить? (необязательно)',
  send: 'Отправить',
  change: 'Изменить ответ',
  thanks: 'Спасибо за отзыв!',
  yours: 'Ваша оценка: {rating} из 5 — {label}',
  editableUntil: 'Изменить её можно до {time} (UTC).',
  closed: 'Ответ больше нельзя изменить.',
  notFound: 'Ссылка на опрос недействительна: возможно, в ней опечатка или опрос удалён.',
  notFoundTitle: 'Опрос не найден',
  pickRating: 'Выберите оценку от 1 до 5.',
  tooMany: 'Слишком много попыток. Попробуйте через минуту.',
};

export type CsatTexts = typeof en;
export const csatTexts: Record<CsatLocale, CsatTexts> = { en, ru };

/** The team's language as the survey speaks it: Russian for ru*, else English. */
export const csatLocale = (tag: string | undefined | null): CsatLocale => (tag?.toLowerCase().startsWith('ru') ? 'ru' : 'en');

/**
 * The page's language: the first of the browser's Accept-Language languages (by q) the survey
 * speaks, else `fallback` (the team's).
 */
export function pageLocale(header: string | undefined, fallback: CsatLocale): CsatLocale {
  if (!header) return fallback;
  const wanted = header
    .split(',')
    .slice(0, 20)
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean) ?? 1);
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q, order };
    })
    .filter((w) => w.q > 0 && (w.lang === 'en' || w.lang === 'ru'))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  return (wanted[0]?.lang as CsatLocale | undefined) ?? fallback;
}

export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k] ?? ''));
