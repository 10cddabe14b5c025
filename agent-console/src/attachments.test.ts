import { describe, expect, it } from 'vitest';
import { blobPath, describeAttachment, formatSize } from './attachments.js';

describe('formatSize', () => {
  it('speaks bytes, KB, MB and GB', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(12 * 1024 + 300)).toBe('12 KB');
    expect(formatSize(3.44 * 1024 * 1024)).toBe('3.4 MB');
    expect(formatSize(1.2 * 1024 ** 3)).toBe('1.2 GB');
  });
  it('has nothing to say about an unknown size', () => {
    expect(formatSize(undefined)).toBeNull();
    expect(formatSize(-1)).toBeNull();
    expect(formatSize(Number.NaN)).toBeNull();
  });
});

describe('describeAttachment', () => {
  const ref = 'blob:0190a3c4-0000-7000-8000-000000000001';

  it('shows stored images and stickers inline', () => {
    expect(describeAttachment({ kind: 'image', ref, name: 'photo.jpg', mime: 'image/jpeg', size: 2048 })).toEqual({ type: 'image', blob: true, label: 'photo.jpg' });
    expect(describeAttachment({ kind: 'sticker', ref })).toEqual({ type: 'image', blob: true, label: 'Sticker' });
  });

  it('offers everything else as a download with name and size', () => {
    expect(describeAttachment({ kind: 'file', ref, name: 'invoice.pdf', size: 1536 })).toEqual({ type: 'file', blob: true, label: 'invoice.pdf', size: '1.5 KB' });
    expect(describeAttachment({ kind: 'audio', ref })).toEqual({ type: 'file', blob: true, label: 'Audio', size: null });
    expect(describeAttachment({ kind: 'video', ref, name: ' ', size: 5 * 1024 * 1024 })).toEqual({ type: 'file', blob: true, label: 'Video', size: '5 MB' });
  });

  it('an image whose bytes are not stored by us is a plain file line', () => {
    expect(describeAttachment({ kind: 'image', ref: 'tg:AgAD123', name: 'pic' })).toEqual({ type: 'file', blob: false, label: 'pic', size: null });
  });

  it('reads locations and contacts as a line', () => {
    expect(describeAttachment({ kind: 'location', ref: 'geo:52.52,13.405', name: 'Café, Berlin' })).toEqual({
      type: 'line',
      label: 'Location: Café, Berlin (52.52, 13.405)',
      href: 'https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=16/52.52/13.405',
    });
    expect(describeAttachment({ kind: 'location', ref: 'geo:-33.9,18.4' }).label).toBe('Location: -33.9, 18.4');
    expect(describeAttachment({ kind: 'contact', ref: 'tel:+4915112345678', name: 'Maria' })).toEqual({ type: 'line', label: 'Contact: Maria, +4915112345678', href: 'tel:+4915112345678' });
    expect(describeAttachment({ kind: 'contact', ref: 'contact:Bob', name: 'Bob' })).toEqual({ type: 'line', label: 'Contact: Bob', href: null });
  });

  it('addresses the blob route with the whole ref, URL-encoded', () => {
    expect(blobPath(ref)).toBe('/api/v1/blobs/blob%3A0190a3c4-0000-7000-8000-000000000001');
  });
});
