/**
 * Deterministic help-center articles and queries for the search benchmark. The vocabulary is the
 * real words of the relevance corpus (knowledge-base/test/fixtures/corpus.ts), most frequent
 * first, followed by a long tail of made-up words (product names, model numbers, rare terms), and
 * words are drawn with a Zipf distribution over it — so common words appear in thousands of
 * articles and rare ones in a few, as in a real help center.
 */
import { markdownToText } from '../../knowledge-base/src/markdown.js';
import { CORPUS, type CategoryKey } from '../../knowledge-base/test/fixtures/corpus.js';

export type Locale = 'en' | 'ru';

export interface GeneratedArticle {
  key: string;
  locale: Locale;
  category: CategoryKey;
  title: string;
  description: string;
  /** Markdown: paragraphs, sometimes a heading and a list. */
  body: string;
}

export interface BenchQuery {
  text: string;
  locale: Locale;
  /** exact: words as written; stem: one word in another form; typo: one word with one letter wrong. */
  kind: 'exact' | 'stem' | 'typo';
}

/** mulberry32: a small seeded PRNG, so every run generates the same articles and queries. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });
const wordsOf = (text: string) => [...segmenter.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase());

const SYLLABLES: Record<Locale, string[]> = {
  en: ['ka', 'lo', 'mi', 'tor', 'ven', 'sal', 'ex', 'pro', 'lin', 'dra', 'cor', 'bel', 'nu', 'tra', 'sen', 'vi', 'mar', 'ol', 'qu', 'zen'],
  ru: ['ка', 'ло', 'ми', 'тор', 'вен', 'сал', 'ре', 'про', 'лин', 'дра', 'кор', 'бел', 'ну', 'тра', 'сен', 'ви', 'мар', 'ол', 'жи', 'зен'],
};
const TAIL = 4000;

interface Vocabulary {
  words: string[];
  /** Cumulative Zipf weights, for sampling by binary search. */
  cumulative: number[];
}

function vocabulary(locale: Locale, rnd: () => number): Vocabulary {
  const counts = new Map<string, number>();
  for (const a of CORPUS) {
    const t = a[locale];
    if (!t) continue;
    for (const w of wordsOf(`${t.title} ${t.description} ${markdownToText(t.body)}`)) {
      if (/^\d+$/.test(w)) continue;
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  const real = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const made = new Set<string>();
  const syllables = SYLLABLES[locale];
  while (made.size < TAIL) {
    let w = '';
    const n = 2 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) w += syllables[Math.floor(rnd() * syllables.length)];
    if (!counts.has(w)) made.add(w);
  }
  const words = [...real, ...made];
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = 0; r < words.length; r++) cumulative.push((sum += 1 / (r + 1) ** 1.05));
  return { words, cumulative };
}

function draw(v: Vocabulary, rnd: () => number): string {
  const x = rnd() * v.cumulative[v.cumulative.length - 1]!;
  let lo = 0;
  let hi = v.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v.cumulative[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return v.words[lo]!;
}

const between = (rnd: () => number, min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sentence(v: Vocabulary, rnd: () => number, min: number, max: number): string {
  const n = between(rnd, min, max);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(draw(v, rnd));
  return words.join(' ');
}

/** `count` articles, about 60% English and 40% Russian, with bodies of 150–400 words. */
export function generateArticles(count: number, seed = 7): GeneratedArticle[] {
  const rnd = random(seed);
  const vocab: Record<Locale, Vocabulary> = { en: vocabulary('en', rnd), ru: vocabulary('ru', rnd) };
  const categories = Object.keys(CORPUS.reduce<Record<string, true>>((acc, a) => ({ ...acc, [a.category]: true }), {})) as CategoryKey[];
  const out: GeneratedArticle[] = [];
  for (let i = 0; i < count; i++) {
    const locale: Locale = rnd() < 0.6 ? 'en' : 'ru';
    const v = vocab[locale];
    const target = between(rnd, 150, 400);
    const parts: string[] = [];
    let written = 0;
    while (written < target) {
      if (rnd() < 0.15) {
        const heading = sentence(v, rnd, 2, 5);
        parts.push(`## ${capitalize(heading)}`);
        written += heading.split(' ').length;
      } else if (rnd() < 0.15) {
        const items = [sentence(v, rnd, 3, 8), sentence(v, rnd, 3, 8), sentence(v, rnd, 3, 8)];
        parts.push(items.map((item) => `- ${item};`).join('\n'));
        written += items.join(' ').split(' ').length;
      } else {
        const sentences: string[] = [];
        for (let s = between(rnd, 2, 5); s > 0; s--) sentences.push(`${capitalize(sentence(v, rnd, 6, 16))}.`);
        parts.push(sentences.join(' '));
        written += sentences.join(' ').split(' ').length;
      }
    }
    out.push({
      key: `a${String(i).padStart(5, '0')}`,
      locale,
      category: categories[Math.floor(rnd() * categories.length)]!,
      title: capitalize(sentence(v, rnd, 3, 7)),
      description: `${capitalize(sentence(v, rnd, 8, 16))}.`,
      body: parts.join('\n\n'),
    });
  }
  return out;
}

const LETTERS: Record<Locale, string> = { en: 'abcdefghijklmnopqrstuvwxyz', ru: 'абвгдежзийклмнопрстуфхцчшщыэюя' };

/** Another form of the word: plural/singular, -ing/-ed in English; another case ending in Russian. */
function inflect(word: string, locale: Locale, rnd: () => number): string {
  if (locale === 'en') {
    if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
    if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
    if (word.endsWith('s') && word.length > 3) return word.slice(0, -1);
    return rnd() < 0.5 ? `${word}s` : `${word}ing`;
  }
  const ending = ['а', 'ы', 'у', 'ой', 'ам', 'е'][Math.floor(rnd() * 6)]!;
  return /[аяыиуюеоь]$/.test(word) ? `${word.slice(0, -1)}${ending}` : `${word}${ending}`;
}

/** One letter in the middle of the word replaced by another: one edit, within the typo allowance from 4 letters. */
function misspell(word: string, locale: Locale, rnd: () => number): string {
  const at = between(rnd, 1, word.length - 2);
  const letters = LETTERS[locale];
  let c = word[at]!;
  while (c === word[at]) c = letters[Math.floor(rnd() * letters.length)]!;
  return `${word.slice(0, at)}${c}${word.slice(at + 1)}`;
}

/**
 * `count` queries of 1–3 words taken from one article (so they can all match, as real queries
 * mostly do), a third each exact, with one word in another form, and with one word misspelt.
 */
export function generateQueries(articles: GeneratedArticle[], count: number, seed = 11): BenchQuery[] {
  const rnd = random(seed);
  const kinds: BenchQuery['kind'][] = ['exact', 'stem', 'typo'];
  const out: BenchQuery[] = [];
  while (out.length < count) {
    const a = articles[Math.floor(rnd() * articles.length)]!;
    const pool = wordsOf(`${a.title} ${markdownToText(a.body)}`).filter((w) => w.length >= 3 && !/\d/.test(w));
    const n = rnd() < 0.45 ? 1 : rnd() < 0.64 ? 2 : 3;
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(pool[Math.floor(rnd() * pool.length)]!);
    const kind = kinds[out.length % 3]!;
    const i = Math.floor(rnd() * words.length);
    if (kind === 'stem') words[i] = inflect(words[i]!, a.locale, rnd);
    if (kind === 'typo') {
      const long = words.findIndex((w) => w.length >= 5);
      if (long < 0) continue;
      words[long] = misspell(words[long]!, a.locale, rnd);
    }
    out.push({ text: words.join(' '), locale: a.locale, kind });
  }
  return out;
}
