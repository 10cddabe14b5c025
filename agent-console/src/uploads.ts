import type { MessageView } from '@switchboard/contracts';
import { formatSize } from './attachments.js';
import { t } from './i18n/core.js';

/**
 * Files an agent attaches to a reply, before it is sent: which are taken, what each chip says,
 * whether the reply can go. Pure, so it is tested without a browser; the store holds the state.
 */

/** Files one reply can carry (the API's limit). */
export const MAX_FILES = 10;
/** The server's default UPLOAD_MAX_BYTES; a server set higher or lower still answers in words. */
export const UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

export type Attachment = MessageView['attachments'][number];

/** What POST /api/v1/blobs answers. */
export interface UploadedFile {
  ref: string;
  name: string;
  mime: string;
  size: number;
  kind: 'image' | 'video' | 'audio' | 'file';
}

/** A file in the composer: uploading, uploaded (ready to send), or refused by the server. */
export interface PendingFile {
  /** Local id, for keys and removal. */
  id: string;
  name: string;
  size: number;
  state: 'uploading' | 'ready' | 'failed';
  /** Set once uploaded: the attachment the reply sends (by ref) and shows. */
  uploaded?: Attachment;
  /** Why the upload failed, as a sentence. */
  error?: string;
}

/** The part of a browser File this logic needs. */
export interface FileLike {
  name: string;
  size: number;
  type: string;
}

/** Why a file cannot be attached, as a sentence, or null when it can. */
export function fileProblem(file: FileLike, maxBytes = UPLOAD_MAX_BYTES): string | null {
  const name = file.name || t('file.theFile');
  if (file.size === 0) return t('file.empty', { name });
  if (file.size > maxBytes) return t('file.tooLarge', { name, max: formatSize(maxBytes) ?? '' });
  return null;
}

/**
 * Which of the picked files to upload, given how many the composer already holds: empty and
 * too large files are refused, and no more than MAX_FILES in all. `refused` says why, per file.
 */
export function admitFiles<F extends FileLike>(held: number, files: readonly F[], maxBytes = UPLOAD_MAX_BYTES): { accepted: F[]; refused: string[] } {
  const accepted: F[] = [];
  const refused: string[] = [];
  for (const f of files) {
    const problem = fileProblem(f, maxBytes);
    if (problem) refused.push(problem);
    else if (held + accepted.length >= MAX_FILES) refused.push(t('file.tooMany', { name: f.name || t('file.aFile'), max: MAX_FILES }));
    else accepted.push(f);
  }
  return { accepted, refused };
}

/**
 * A name for a file that has none worth keeping: pasted screenshots arrive as "image.png" or
 * nameless, so they get the time they were pasted ("Pasted image 10-04-31.png").
 */
export function pastedName(file: FileLike, at: Date): string {
  if (file.name && !/^image\.\w+$/i.test(file.name)) return file.name;
  const ext = /^image\/(png|jpeg|gif|webp)$/.exec(file.type)?.[1]?.replace('jpeg', 'jpg') ?? 'png';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t('file.pasted')} ${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}.${ext}`;
}

/** Whether the composer's files let the reply go: none uploading, none failed. */
export function filesBlockSending(files: readonly PendingFile[]): string | null {
  if (files.some((f) => f.state === 'uploading')) return t('thread.uploading');
  if (files.some((f) => f.state === 'failed')) return t('store.removeFailed');
  return null;
}

/** The uploaded files as the reply's attachments (name, type and size as the server stored them). */
export function readyAttachments(files: readonly PendingFile[]): Attachment[] {
  return files.flatMap((f) => (f.state === 'ready' && f.uploaded ? [f.uploaded] : []));
}

/** An upload's answer as the attachment a reply carries. */
export function asAttachment(u: UploadedFile): Attachment {
  return { kind: u.kind, ref: u.ref, name: u.name, mime: u.mime, size: u.size };
}

/** What a chip says besides the name: the size, "Uploading…", or why it failed. */
export function chipDetail(f: PendingFile): string {
  if (f.state === 'uploading') return t('thread.uploading');
  if (f.state === 'failed') return f.error ?? t('file.notUploaded');
  return formatSize(f.size) ?? '';
}
