import type { MessageView } from '@switchboard/contracts';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { addressLines, emailBadges, emailFrameDocument, foldQuote, inlineImageRefs } from '../email.js';
import { readDataUrl } from './attachment-view.js';
import { t } from '../i18n/core.js';
import { useApi } from './context.js';

type EmailMessage = MessageView & { email: NonNullable<MessageView['email']> };

/** Above an email's body: its subject when it changed, the addresses, and badges for noise. */
export function EmailHead({ m, subject }: { m: EmailMessage; subject: string | undefined }) {
  const lines = addressLines(m.email);
  const badges = emailBadges(m.email);
  return (
    <div class="mail-head">
      {subject && <div class="mail-subject">{subject}</div>}
      {lines.length > 0 && (
        <div class="mail-addr">
          {lines.map((l, i) => (
            <span key={l.label}>
              {i > 0 && ' · '}
              {l.label}: {l.value}
            </span>
          ))}
        </div>
      )}
      {badges.length > 0 && (
        <div class="mail-badges">
          {badges.map((b) => (
            <span key={b.kind} class={`mail-badge mail-badge-${b.kind}`} title={b.title} data-testid="mail-badge">
              {b.label}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * An email's body: the new text with the quoted history folded behind "•••", and a toggle to the
 * original formatting. `render` shows a piece of text (linkified by the thread).
 */
export function EmailBody({ m, text, render }: { m: EmailMessage; text: string; render: (text: string) => ComponentChildren }) {
  const [quoteOpen, setQuoteOpen] = useState(false);
  const [original, setOriginal] = useState(false);
  const fold = m.text ? foldQuote(m.text, m.email.quoteStart) : null;
  return (
    <>
      {original && m.html ? (
        <EmailFrame html={m.html} />
      ) : fold ? (
        <>
          <span class="msg-text">{render(fold.shown)}</span>
          <button class="mail-fold" type="button" aria-expanded={quoteOpen} aria-label={t('mail.showQuote')} title={quoteOpen ? t('mail.hideQuote') : t('mail.showQuote')} onClick={() => setQuoteOpen(!quoteOpen)}>
            •••
          </button>
          {quoteOpen && <span class="msg-text mail-quote">{render(fold.quoted)}</span>}
        </>
      ) : (
        text && <span class="msg-text">{render(text)}</span>
      )}
      {m.html && (
        <button class="link-btn mail-original" type="button" aria-pressed={original} onClick={() => setOriginal(!original)}>
          {original ? t('mail.asText') : t('mail.original')}
        </button>
      )}
    </>
  );
}

/**
 * The mail's (server-sanitized) HTML in a sandboxed frame: no scripts, forms or navigation of the
 * console, none of the console's styles; links open in a new tab. allow-same-origin only lets the
 * console measure the frame's height (nothing inside can run). Inline images are stored files,
 * fetched with the agent's token and handed over as data: URLs.
 */
function EmailFrame({ html }: { html: string }) {
  const api = useApi();
  const [doc, setDoc] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    let live = true;
    setDoc(null);
    const refs = inlineImageRefs(html);
    void Promise.all(refs.map(async (ref) => [ref, await api.fetchBlob(ref).then(readDataUrl).catch(() => '')] as const)).then(
      (images) => live && setDoc(emailFrameDocument(html, new Map(images))),
    );
    return () => {
      live = false;
    };
  }, [api, html]);
  const fit = () => {
    const el = frame.current;
    const root = el?.contentDocument?.documentElement;
    if (el && root) el.style.height = `${Math.ceil(root.getBoundingClientRect().height)}px`;
  };
  useEffect(() => {
    const el = frame.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // A narrower thread wraps the mail into more lines: fit the height again.
    const watch = new ResizeObserver(fit);
    watch.observe(el);
    return () => watch.disconnect();
  }, [doc]);
  if (doc === null) return <div class="mail-frame-note">{t('mail.loadingOriginal')}</div>;
  return <iframe ref={frame} class="mail-frame" title={t('mail.frameTitle')} sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox" srcdoc={doc} onLoad={fit} data-testid="mail-original" />;
}
