import { describe, expect, it } from 'vitest';
import { tempDir } from '@switchboard/testkit';
import { attachmentKindOf, sharedBlobStore } from './index.js';

describe('sharedBlobStore', () => {
  it('opens one store per process owner, closed with the server that opened it first', async () => {
    const dir = tempDir('sb-blob-shared');
    const logged: string[] = [];
    const owner = { config: { dataDir: dir.dir, mongo: { url: undefined, database: 'x' } }, logger: { info: (_o: object, msg: string) => void logged.push(msg) } };
    const hooks: Array<() => Promise<void>> = [];
    const server = { addHook: (_name: 'onClose', hook: () => Promise<void>) => void hooks.push(hook) };
    const first = await sharedBlobStore(server, owner);
    const second = await sharedBlobStore(server, owner);
    expect(second).toBe(first);
    expect(hooks).toHaveLength(1);
    expect(logged).toEqual([`blob: files in ${dir.dir}/blobs`]);
    await hooks[0]!();
    // Closed: the next caller (a restarted server) opens a fresh one.
    expect(await sharedBlobStore(server, owner)).not.toBe(first);
    dir.remove();
  });
});

describe('attachmentKindOf', () => {
  it('pictures every browser and channel shows are images; video and audio keep their kind; the rest are files', () => {
    expect(attachmentKindOf('image/png')).toBe('image');
    expect(attachmentKindOf('IMAGE/JPEG')).toBe('image');
    expect(attachmentKindOf('image/webp')).toBe('image');
    expect(attachmentKindOf('image/svg+xml')).toBe('file');
    expect(attachmentKindOf('image/heic')).toBe('file');
    expect(attachmentKindOf('video/mp4')).toBe('video');
    expect(attachmentKindOf('audio/ogg')).toBe('audio');
    expect(attachmentKindOf('application/pdf')).toBe('file');
    expect(attachmentKindOf('application/octet-stream')).toBe('file');
  });
});
