import sanitize from 'sanitize-html';
import { isSafeImageSrc } from '@switchboard/http';

/** Where the console fetches stored files; inline (cid:) images point here. */
const BLOB_PATH = '/api/v1/blobs/';

/** The formatting that matters in mail; everything else is dropped, its text kept. */
const TAGS = [
  'p', 'br', 'div', 'span', 'b', 'i', 'u', 's', 'strong', 'em', 'small', 'sub', 'sup',
  'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'a', 'img',
];

/** Elements whose text is never content: dropped with everything inside. */
const NON_TEXT = ['script', 'style', 'head', 'title', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math'];

const DIMENSION = /^\d{1,4}(?:px|%)?$/;

function lookupCid(inline: Map<string, string>, src: string): string | undefined {
  let id = src.slice(4).trim().replace(/^<|>$/g, '');
  try {
    id = decodeURIComponent(id);
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  const exact = inline.get(id);
  if (exact !== undefined) return exact;
  const lower = id.toLowerCase();
  for (const [cid, ref] of inline) if (cid.toLowerCase() === lower) return ref;
  return undefined;
}

/** An image that must not load becomes its alt text (an empty alt: nothing, like a tracking pixel). */
function altText(attribs: sanitize.Attributes): sanitize.Tag {
  return { tagName: 'span', attribs: {}, text: (attribs['alt'] ?? '').trim() };
}

/**
 * The HTML of an incoming mail reduced to what is stored and shown: formatting kept, active
 * content gone, inline `cid:` images pointed at their stored blobs (`inline`: Content-ID → blob
 * ref) and remote images dropped so that opening the mail does not tell the sender (tracking
 * pixels). The view-time policy (sanitizeHtml in @switchboard/http) keeps the same image rule.
 */
export function emailHtmlForStorage(html: string, inline: Map<string, string>): string {
  const clean = sanitize(html, {
    allowedTags: TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT,
    transformTags: {
      a: sanitize.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }, true),
      img: (_tag, attribs) => {
        const raw = (attribs['src'] ?? '').trim();
        let src = raw;
        if (/^cid:/i.test(raw)) {
          const ref = lookupCid(inline, raw);
          if (ref === undefined) return altText(attribs);
          src = BLOB_PATH + encodeURIComponent(ref);
        }
        if (!isSafeImageSrc(src)) return altText(attribs);
        const out: sanitize.Attributes = { src };
        if (attribs['alt']) out['alt'] = attribs['alt'];
        for (const dim of ['width', 'height'] as const) {
          const v = attribs[dim]?.trim();
          if (v && DIMENSION.test(v)) out[dim] = v;
        }
        return { tagName: 'img', attribs: out };
      },
    },
  });
  // What is left of tracking pixels (an image without alt text).
  return clean.replaceAll('<span></span>', '');
}
