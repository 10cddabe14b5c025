import MarkdownIt from 'markdown-it';
import sanitize from 'sanitize-html';

/**
 * Article Markdown → HTML. Raw HTML in the source is shown as text (html: false), and the result
 * still goes through a sanitizer, so a link can never be `javascript:` and nothing can carry a
 * script. Unlike channel HTML (platform/http sanitizeHtml) articles are written by the team, so
 * https images are allowed and links to our own pages stay in the same tab. Headings get ids so
 * "#section" links work.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const policy: sanitize.IOptions = {
  allowedTags: [...sanitize.defaults.allowedTags, 'img', 'del', 's'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'title'], th: ['style'], td: ['style'], code: ['class'] },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tag, attribs) => {
      const external = /^https?:/i.test(attribs['href'] ?? '');
      return { tagName: tag, attribs: external ? { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } : attribs };
    },
  },
};
const sanitizeHtml = (html: string) => sanitize(html, policy);

const headingIds = (html: string): string => {
  const seen = new Map<string, number>();
  return html.replace(/<h([2-4])>([\s\S]*?)<\/h\1>/g, (_m, level: string, inner: string) => {
    const base = slugify(inner.replace(/<[^>]+>/g, '')) || 'section';
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `<h${level} id="${n ? `${base}-${n}` : base}">${inner}</h${level}>`;
  });
};

/** Recently rendered articles: rendering and sanitizing take far longer than the rest of a page. */
const rendered = new Map<string, string>();
const RENDERED_MAX = 500;

export function renderMarkdown(markdown: string): string {
  const hit = rendered.get(markdown);
  if (hit !== undefined) {
    // Most recently used last, so the oldest is evicted first.
    rendered.delete(markdown);
    rendered.set(markdown, hit);
    return hit;
  }
  const html = headingIds(sanitizeHtml(md.render(markdown)));
  if (rendered.size >= RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
  rendered.set(markdown, html);
  return html;
}

/** Plain text of the Markdown (search index, meta descriptions, snippets). */
export function markdownToText(markdown: string): string {
  const html = md.render(markdown);
  return decodeEntities(html.replace(/<\/(p|li|h[1-6]|pre|blockquote|tr)>/g, '\n').replace(/<[^>]+>/g, ' '))
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

/** The start of the Markdown's text, at most `max` characters, cut at a word. */
export function summarize(markdown: string, max = 160): string {
  return truncateAtWord(markdownToText(markdown), max);
}

/** The start of a plain text on one line, at most `max` characters, cut at a word. */
export function truncateAtWord(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A URL slug from a title: lowercase letters of any script and digits, joined by dashes. */
export function slugify(title: string): string {
  return decodeEntities(title)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{Ll}\p{Lo}\p{Nd}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/g, '');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? _m);
}
