import { webApi } from '@slack/bolt';
import { deliveryErrorFor, permanent, transient, type DeliveryError } from '@switchboard/connectors-sdk';

export interface SlackOptions {
  /** Web API base; default https://slack.com/api/ (GovSlack, or a test stand-in, otherwise). Must end with /api/. */
  slackApiUrl?: string;
  /** Time allowed for one Web API call, ms; default 30000. */
  callTimeoutMs?: number;
  /** How old a signed request may be before it is refused as a replay, seconds; default 300 (Slack's advice). */
  maxSignatureAgeSeconds?: number;
}

/** A Web API client that does not retry on its own: the bus owns retries and back-off. */
export function slackClient(token: string | undefined, options: SlackOptions): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: options.slackApiUrl ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.callTimeoutMs ?? 30_000,
    logLevel: webApi.LogLevel.ERROR,
  });
}

/** Slack's answers that mean "later" rather than "never". */
const TRANSIENT_SLACK_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

export function toDeliveryError(err: unknown): DeliveryError {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  if (e.code === webApi.ErrorCode.PlatformError) {
    const error = e.data?.error ?? 'unknown_error';
    return TRANSIENT_SLACK_ERRORS.has(error) ? transient(`Slack: ${error}`) : permanent(`Slack: ${error}`);
  }
  if (e.code === webApi.ErrorCode.RateLimitedError) return transient('Slack: rate limited', 429);
  if (e.code === webApi.ErrorCode.HTTPError && e.statusCode) return deliveryErrorFor(e.statusCode, `Slack answered HTTP ${e.statusCode}`);
  return transient(`Slack unreachable: ${e.message ?? String(err)}`);
}

export function slackErrorText(err: unknown): string {
  const e = err as { data?: { error?: string }; message?: string };
  return e.data?.error ? `Slack: ${e.data.error}` : `Slack unreachable: ${e.message ?? String(err)}`;
}
