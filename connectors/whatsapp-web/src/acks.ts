import type { DeliveryStatus } from '@switchboard/contracts';

/** whatsapp-web.js MessageAck → our delivery status: 1 server (sent), 2 device (delivered), 3 read, 4 played (read), -1 error. */
export function ackToStatus(ack: number): Exclude<DeliveryStatus, 'queued'> | null {
  switch (ack) {
    case 1:
      return 'sent';
    case 2:
      return 'delivered';
    case 3:
    case 4:
      return 'read';
    case -1:
      return 'failed';
    default:
      return null;
  }
}
