import type { SecretBox } from '@switchboard/crypto';
import type { ChannelAccount } from '@switchboard/connectors-sdk';
import { GraphClient } from './graph-client.js';
import type { MetaStore } from './meta-store.js';

/** What the Meta connectors are built with (from Config and the platform). */
export interface MetaDeps {
  store: MetaStore;
  /** Seals short-lived public media links (Instagram fetches outbound files by URL). */
  secrets: SecretBox;
  /** META_GRAPH_URL, e.g. https://graph.facebook.com. */
  graphUrl: string;
  /** META_GRAPH_VERSION, e.g. v21.0. */
  graphVersion: string;
  /** INSTAGRAM_GRAPH_URL, e.g. https://graph.instagram.com (Instagram API with Instagram Login). */
  instagramGraphUrl: string;
}

export function graphFor(account: ChannelAccount, baseUrl: string, version: string): GraphClient {
  return new GraphClient({ baseUrl, version, accessToken: account.credentials.accessToken ?? '' });
}
