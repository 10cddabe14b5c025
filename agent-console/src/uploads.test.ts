import { describe, expect, it } from 'vitest';
import { admitFiles, asAttachment, chipDetail, fileProblem, filesBlockSending, MAX_FILES, pastedName, readyAttachments, UPLOAD_MAX_BYTES, type PendingFile } from './uploads.js';

const f = (name: string, size = 100, type = 'application/pdf') => ({ name, size, type });

describe('fileProblem', () => {
  it('refuses empty and too large files in words', () => {
    expect(fileProblem(f('a.pdf'))).toBeNull();
    expect(fileProblem(f('empty.txt', 0))).toBe('empty.txt is empty.');
    expect(fileProblem(f('movie.mp4', UPLOAD_MAX_BYTES + 1))).toBe('movie.mp4 is too large: a file can be at most 25 MB.');
    expect(fileProblem(f('', 2048), 1024)).toBe('The file is too large: a file can be at most 1 KB.');
    expect(fileProblem(f('exact.bin', UPLOAD_MAX_BYTES))).toBeNull();
  });
});

describe('admitFiles', () => {
  it('takes good files up to the limit per reply and says why for the rest', () => {
    const picked = [f('ok1.pdf'), f('empty.txt', 0), f('ok2.pdf'), f('ok3.pdf')];
    expect(admitFiles(MAX_FILES - 2, picked)).toEqual({
      accepted: [f('ok1.pdf'), f('ok2.pdf')],
      refused: ['empty.txt is empty.', `ok3.pdf was not added: one reply can carry ${MAX_FILES} files.`],
    });
    expect(admitFiles(0, [])).toEqual({ accepted: [], refused: [] });
  });
});

describe('pastedName', () => {
  const at = new Date(2025, 2, 12, 9, 5, 7);
  it('names screenshots by the time they were pasted, keeping a real name', () => {
    expect(pastedName(f('image.png', 1, 'image/png'), at)).toBe('Pasted image 09-05-07.png');
    expect(pastedName(f('', 1, 'image/jpeg'), at)).toBe('Pasted image 09-05-07.jpg');
    expect(pastedName(f('receipt.pdf', 1), at)).toBe('receipt.pdf');
  });
});

describe('the composer’s files', () => {
  const uploaded = asAttachment({ ref: 'blob:1', name: 'invoice.pdf', mime: 'application/pdf', size: 1536, kind: 'file' });
  const ready: PendingFile = { id: 'f1', name: 'invoice.pdf', size: 1536, state: 'ready', uploaded };
  const uploading: PendingFile = { id: 'f2', name: 'photo.jpg', size: 2048, state: 'uploading' };
  const failed: PendingFile = { id: 'f3', name: 'big.mov', size: 9, state: 'failed', error: 'The file is larger than 25 MB, the most an upload may be.' };

  it('blocks sending while a file uploads or failed, saying which', () => {
    expect(filesBlockSending([])).toBeNull();
    expect(filesBlockSending([ready])).toBeNull();
    expect(filesBlockSending([ready, uploading])).toBe('Uploading…');
    expect(filesBlockSending([ready, failed])).toBe('Remove the files that could not be uploaded.');
  });

  it('sends only uploaded files, as attachments', () => {
    expect(readyAttachments([ready, uploading, failed])).toEqual([{ kind: 'file', ref: 'blob:1', name: 'invoice.pdf', mime: 'application/pdf', size: 1536 }]);
  });

  it('each chip says its size, that it is uploading, or why it failed', () => {
    expect(chipDetail(ready)).toBe('1.5 KB');
    expect(chipDetail(uploading)).toBe('Uploading…');
    expect(chipDetail(failed)).toBe('The file is larger than 25 MB, the most an upload may be.');
  });
});
