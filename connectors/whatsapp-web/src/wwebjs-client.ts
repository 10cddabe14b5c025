import path from 'node:path';
import wwebjs from 'whatsapp-web.js';
import type { WaClient, WaClientFactory, WaEvents, WaMedia, WaMessage, WaSendOptions, WaChat } from './seam.js';

const { Client, LocalAuth, MessageMedia } = wwebjs;

export interface WwebjsOptions {
  /** Sessions live in <dataDir>/whatsapp-web/session-<accountId> (LocalAuth). */
  dataDir: string;
  /** Debian's Chromium; puppeteer's own download is switched off (.puppeteerrc.cjs). */
  chromiumPath: string;
}

/**
 * The real adapter: whatsapp-web.js driving Chromium, the session kept by LocalAuth under
 * DATA_DIR so a restart does not ask for a new QR code. (RemoteAuth with a MongoDB store, for
 * containers without a persistent volume, is a documented follow-up.)
 */
export class WwebjsClient implements WaClient {
  private readonly client: InstanceType<typeof Client>;

  constructor(accountId: string, opts: WwebjsOptions) {
    this.client = new Client({
      authStrategy: new LocalAuth({ clientId: accountId, dataPath: path.join(opts.dataDir, 'whatsapp-web') }),
      puppeteer: {
        executablePath: opts.chromiumPath,
        headless: true,
        // Containers run as root without a usable /dev/shm; these are the flags Chromium needs there.
        args: ['--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage'],
      },
    });
  }

  on<E extends keyof WaEvents>(event: E, listener: (...args: WaEvents[E]) => void): this {
    this.client.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  initialize(): Promise<void> {
    return this.client.initialize();
  }

  async sendMessage(chatId: string, content: string | WaMedia, options: WaSendOptions = {}): Promise<WaMessage> {
    const body = typeof content === 'string' ? content : new MessageMedia(content.mimetype, content.data, content.filename ?? null, content.filesize ?? null);
    return (await this.client.sendMessage(chatId, body, options)) as unknown as WaMessage;
  }

  async getChats(): Promise<WaChat[]> {
    return (await this.client.getChats()) as unknown as WaChat[];
  }

  destroy(): Promise<void> {
    return this.client.destroy();
  }
}

export function wwebjsFactory(opts: WwebjsOptions): WaClientFactory {
  return (accountId) => new WwebjsClient(accountId, opts);
}
