import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeAttachment, type Attachment } from '../attachments.js';
import { t } from '../i18n/core.js';
import { useApi } from './context.js';
import { IconPaperclip } from './icons.js';

/**
 * One attachment in a bubble. Stored files (`blob:` refs) need the agent's token, so the bytes are
 * fetched with the API client: images are shown from a data: URL (the console's CSP allows data:
 * images, not blob:) and open full size in a new tab from an object URL revoked on unmount; other
 * files download on click.
 */
export function AttachmentView({ a }: { a: Attachment }) {
  const d = describeAttachment(a);
  if (d.type === 'image') return <InlineImage a={a} label={d.label} />;
  if (d.type === 'file') {
    const text = (
      <>
        <IconPaperclip size={14} />
        <span class="attachment-name">{d.label}</span>
        {d.size && <span class="attachment-size">{d.size}</span>}
      </>
    );
    return d.blob ? <DownloadLink a={a} label={d.label}>{text}</DownloadLink> : <span class="attachment" data-testid="attachment-file">{text}</span>;
  }
  return (
    <span class="attachment attachment-line">
      {d.href ? (
        <a href={d.href} target="_blank" rel="noopener noreferrer">
          {d.label}
        </a>
      ) : (
        d.label
      )}
    </span>
  );
}

/** A fetched file as a data: URL (the CSP allows data: images, not blob: ones). */
export function readDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error(t('file.unreadableImage')));
    r.readAsDataURL(blob);
  });
}

function InlineImage({ a, label }: { a: Attachment; label: string }) {
  const api = useApi();
  const [src, setSrc] = useState<{ data: string; full: string } | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let full: string | null = null;
    setSrc(null);
    setFailed(false);
    api
      .fetchBlob(a.ref)
      .then(async (blob) => {
        const data = await readDataUrl(blob);
        if (!live) return;
        full = URL.createObjectURL(blob);
        setSrc({ data, full });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      if (full) URL.revokeObjectURL(full);
    };
  }, [api, a.ref]);
  if (failed) {
    return (
      <span class="attachment" data-testid="attachment-image" data-state="failed">
        <IconPaperclip size={14} />
        {label} (could not be loaded)
      </span>
    );
  }
  return (
    <a class="attachment-image" data-testid="attachment-image" data-state={src ? 'loaded' : 'loading'} href={src?.full} target="_blank" rel="noopener" title={t('file.openFull', { label })}>
      {src ? <img src={src.data} alt={label} /> : <span class="attachment-placeholder">{label}</span>}
    </a>
  );
}

function DownloadLink({ a, label, children }: { a: Attachment; label: string; children: ComponentChildren }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const download = async (e: MouseEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(false);
    try {
      const url = URL.createObjectURL(await api.fetchBlob(a.ref));
      const link = document.createElement('a');
      link.href = url;
      link.download = label;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      setError(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <a class="attachment attachment-file" data-testid="attachment-file" href="#" onClick={download} aria-busy={busy} title={`Download ${label}`}>
      {children}
      {error && <span class="attachment-error">{t('file.downloadFailed')}</span>}
    </a>
  );
}
