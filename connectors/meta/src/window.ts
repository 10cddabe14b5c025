/**
 * Meta's customer-service window: a business may send free-form messages for 24 hours after the
 * customer's last message; after that, WhatsApp only delivers approved templates and Instagram
 * nothing at all (until the customer writes again).
 */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WindowState {
  /** Free-form messages can be sent now. */
  open: boolean;
  /** When the window closes (closed) — null when the customer never wrote. */
  expiresAt: string | null;
  /** Milliseconds left, 0 when closed. */
  remainingMs: number;
}

export function windowState(lastInboundAt: Date | null | undefined, now: Date = new Date()): WindowState {
  if (!lastInboundAt) return { open: false, expiresAt: null, remainingMs: 0 };
  const expires = lastInboundAt.getTime() + WINDOW_MS;
  const remainingMs = Math.max(0, expires - now.getTime());
  return { open: remainingMs > 0, expiresAt: new Date(expires).toISOString(), remainingMs };
}
