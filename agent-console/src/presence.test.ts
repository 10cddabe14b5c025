import { describe, expect, it } from 'vitest';
import { asPresence, presenceBoard, presenceOption, withPresence } from './presence.js';

const ann = { agentId: 'ann', status: 'online' as const, since: '2026-06-10T08:00:00.000Z', auto: false };

describe('the team presence board', () => {
  it('takes a listing, then each change; an unchanged presence keeps the board as it was', () => {
    const board = presenceBoard([ann]);
    expect(withPresence(board, { ...ann })).toBe(board);
    const away = withPresence(board, { ...ann, status: 'away', auto: true });
    expect(away.ann).toMatchObject({ status: 'away', auto: true });
    expect(withPresence(away, { agentId: 'bob', status: 'offline', since: null, auto: false }).bob?.status).toBe('offline');
  });

  it('reads only well-formed socket payloads', () => {
    expect(asPresence(ann)).toEqual(ann);
    expect(asPresence({ agentId: 'ann', status: 'busy' })).toBeNull();
    expect(asPresence(null)).toBeNull();
  });

  it('names an assignee with a coloured dot and, unless online, the status in words', () => {
    expect(presenceOption('Ann', 'online')).toBe('🟢 Ann');
    expect(presenceOption('Bob', 'away')).toBe('🟡 Bob (away)');
    expect(presenceOption('Cat', 'offline')).toBe('⚪ Cat (offline)');
  });
});
