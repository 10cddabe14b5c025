import type { OutgoingAttachment } from './outbox.js';

/**
 * A picked file's way to the hub (POST /api/v1/widget/uploads), a chunk the chat loads on the
 * first file the visitor sends (picked or dropped). The chat shows the file at once; this part
 * waits for the session, refuses a file over the inbox's limit, uploads, and hands back what the
 * message carries.
 */
export interface UploadContext {
  /** Resolves when the session is up (or the chat closed). */
  online(): Promise<void>;
  /** Whether the upload still matters: the chat open, the visitor still the one who picked the file. */
  current(): boolean;
  /** The inbox's largest upload, bytes (known once the session is up). */
  maxBytes(): number | undefined;
  fetch: typeof fetch;
  hubOrigin: string;
  visitorToken(): string;
  /** Shows the message as not sent, with the hub's reason, or without one the chat's "could not be sent" sentence. */
  fail(message?: string): void;
  done(attachment: OutgoingAttachment): void;
}

export async function upload(file: File, ctx: UploadContext): Promise<void> {
  await ctx.online();
  if (!ctx.current()) return;
  const max = ctx.maxBytes();
  if (max !== undefined && file.size > max) return ctx.fail(`This file is too large: the limit is ${formatBytes(max)}.`);
  const body = new FormData();
  body.append('file', file, file.name);
  let uploaded: { ref: string; name?: string; mime?: string; size?: number };
  // Called unbound: the browser's fetch refuses to run as a method of another object.
  const { fetch: post } = ctx;
  try {
    const res = await post(`${ctx.hubOrigin}/api/v1/widget/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.visitorToken()}` },
      body,
    });
    const answer = (await res.json().catch(() => ({}))) as { ref?: string; error?: { message?: string } };
    if (!res.ok || typeof answer.ref !== 'string') {
      ctx.fail(answer.error?.message ?? `The file could not be sent (HTTP ${res.status}).`);
      return;
    }
    uploaded = answer as typeof uploaded;
  } catch {
    ctx.fail();
    return;
  }
  if (!ctx.current()) return;
  const { ref, name = file.name, mime = file.type || undefined, size = file.size } = uploaded;
  ctx.done({ ref, name, mime, size });
}

const formatBytes = (n: number) => (n >= 1 << 20 ? `${+(n / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);
