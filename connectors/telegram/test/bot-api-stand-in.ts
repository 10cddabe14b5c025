import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandIn } from '@switchboard/connectors-sdk/testing';

export interface BotApiCall {
  method: string;
  token: string;
  /** JSON fields, or the text fields of a multipart upload. */
  payload: Record<string, unknown>;
  /** Uploaded files of a multipart call, by field name. */
  files: Record<string, { name: string; bytes: Buffer }>;
  /** false when the stand-in answered with an error. */
  ok: boolean;
}

/**
 * A Bot API server on 127.0.0.1 speaking the documented wire format ({ ok, result } /
 * { ok: false, error_code, description }): records every call, serves getFile and file downloads,
 * hands queued updates to getUpdates (long polling).
 */
export interface BotApiStandIn extends StandIn {
  token: string;
  calls: BotApiCall[];
  /** Files getFile/download serve, by file_id. */
  files: Map<string, { path: string; bytes: Buffer }>;
  /** Errors to answer the next send* calls with, in order. */
  failSends: Array<{ error_code: number; description: string }>;
  /** Errors to answer any call of a method with, until removed (e.g. setWebhook → 400). */
  failMethod: Map<string, { error_code: number; description: string }>;
  /** Updates waiting for getUpdates. */
  queueUpdate(update: Record<string, unknown>): void;
  /** send* calls that succeeded. */
  sent(): BotApiCall[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startBotApiStandIn(token = '123456789:AAH-test-token-for-the-stand-in_x'): Promise<BotApiStandIn> {
  const calls: BotApiCall[] = [];
  const files = new Map<string, { path: string; bytes: Buffer }>();
  const failSends: Array<{ error_code: number; description: string }> = [];
  const failMethod = new Map<string, { error_code: number; description: string }>();
  const updates: Record<string, unknown>[] = [];
  let waiter: (() => void) | undefined;
  let nextMessageId = 9000;
  const botId = Number(token.split(':')[0]);

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const found = [...files.values()].find((f) => f.path === file[2]);
      if (file[1] !== token || !found) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
      return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(found.bytes);
    }
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!m) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, callToken, method] = m as unknown as [string, string, string];
    if (callToken !== token) return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const raw = await readBody(req);
    const payload: Record<string, unknown> = {};
    const uploaded: BotApiCall['files'] = {};
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
      for (const [k, v] of form.entries()) {
        if (typeof v === 'string') payload[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
        else uploaded[k] = { name: v.name, bytes: Buffer.from(await v.arrayBuffer()) };
      }
      // telegraf sends a file as "attach://<field>" next to the part.
      for (const [k, v] of Object.entries(payload)) if (typeof v === 'string' && v.startsWith('attach://')) payload[k] = `attach:${v.slice(9)}`;
    } else if (raw.length) {
      Object.assign(payload, JSON.parse(raw.toString('utf8')));
    }
    const call: BotApiCall = { method, token: callToken, payload, files: uploaded, ok: true };
    calls.push(call);
    const forced = failMethod.get(method);
    if (forced) {
      call.ok = false;
      return reply(forced.error_code, { ok: false, ...forced });
    }

    switch (method) {
      case 'getMe':
        return reply(200, { ok: true, result: { id: botId, is_bot: true, first_name: 'Acme Support', username: 'acme_support_bot', can_join_groups: true } });
      case 'setWebhook':
      case 'deleteWebhook':
        return reply(200, { ok: true, result: true, description: method === 'setWebhook' ? 'Webhook was set' : 'Webhook was deleted' });
      case 'getFile': {
        const f = files.get(String(payload.file_id));
        if (!f) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return reply(200, { ok: true, result: { file_id: payload.file_id, file_unique_id: `u-${String(payload.file_id)}`, file_size: f.bytes.length, file_path: f.path } });
      }
      case 'getUpdates': {
        const offset = Number(payload.offset ?? 0);
        while (updates.length && Number(updates[0]?.update_id) < offset) updates.shift();
        if (!updates.length) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, Number(payload.timeout ?? 0) * 1000);
            waiter = () => {
              clearTimeout(t);
              resolve();
            };
          });
          waiter = undefined;
        }
        return reply(200, { ok: true, result: updates.filter((u) => Number(u.update_id) >= offset) });
      }
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument': {
        const failure = failSends.shift();
        if (failure) {
          call.ok = false;
          return reply(failure.error_code, { ok: false, ...failure });
        }
        const message_id = ++nextMessageId;
        const chat = { id: Number(payload.chat_id), type: 'private' };
        return reply(200, { ok: true, result: { message_id, date: Math.floor(Date.now() / 1000), chat, ...(payload.text ? { text: payload.text } : {}) } });
      }
      default:
        return reply(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    calls,
    files,
    failSends,
    failMethod,
    queueUpdate(update) {
      updates.push(update);
      waiter?.();
    },
    sent: () => calls.filter((c) => c.method.startsWith('send') && c.ok),
    close: () =>
      new Promise<void>((resolve) => {
        waiter?.();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
