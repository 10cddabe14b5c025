import { createSocketRealtime, type ConnectionState, type Realtime } from '../../agent-console/src/realtime.js';

/**
 * An agent console's live link, the console's own code (heartbeats included), that only follows
 * its connection state: what presence tests need of an agent who is signed in.
 */
export function presenceConsole(origin: string, token: string, onState: (state: ConnectionState) => void): Realtime {
  const link = createSocketRealtime({ origin, token: () => token, refreshAccess: async () => token });
  link.start({
    onState,
    onConnect: () => undefined,
    onConversationUpdated: () => undefined,
    onMessageNew: () => undefined,
    onMessageUpdated: () => undefined,
    onTyping: () => undefined,
  });
  return link;
}
