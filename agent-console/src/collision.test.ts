import { describe, expect, it } from 'vitest';
import { collisionNotice, REPLYING_TTL_MS, ReplyCollisions } from './collision.js';
import { message } from './test-fixtures.js';
import type { Clock } from './typing.js';

function fakeClock() {
  let t = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  const clock: Clock = {
    now: () => t,
    setTimeout: (fn, ms) => (timers.set(++seq, { at: t + ms, fn }), seq),
    clearTimeout: (h) => void timers.delete(h as number),
  };
  const advance = (ms: number) => {
    t += ms;
    for (const [id, timer] of [...timers]) if (timer.at <= t) (timers.delete(id), timer.fn());
  };
  return { clock, advance };
}

const typing = (agentId: string, name: string, on = true, conversationId = 'c1') => ({ conversationId, typing: on, who: 'agent' as const, agentId, name });

describe('another agent replying in the same conversation', () => {
  const setup = () => {
    const { clock, advance } = fakeClock();
    const collisions = new ReplyCollisions(() => 'me', clock);
    return { collisions, advance };
  };

  it('lists another agent who types, until they stop', () => {
    const { collisions } = setup();
    collisions.typing(typing('ana', 'Ana'));
    expect(collisionNotice(collisions.replying('c1'))).toBe('Ana is replying — you might answer twice');
    expect(collisions.replying('c2')).toEqual([]);
    collisions.typing(typing('ana', 'Ana', false));
    expect(collisionNotice(collisions.replying('c1'))).toBe('');
  });

  it('never lists the signed-in agent (their other tab) nor the contact', () => {
    const { collisions } = setup();
    collisions.typing(typing('me', 'Me'));
    collisions.typing({ conversationId: 'c1', typing: true, who: 'contact', name: 'Olga' });
    expect(collisions.replying('c1')).toEqual([]);
  });

  it('forgets an agent whose signal is not renewed, and keeps one who keeps typing', () => {
    const { collisions, advance } = setup();
    collisions.typing(typing('ana', 'Ana'));
    collisions.typing(typing('bo', 'Bo'));
    advance(REPLYING_TTL_MS - 1000);
    collisions.typing(typing('bo', 'Bo'));
    advance(1000);
    expect(collisions.replying('c1')).toEqual(['Bo']);
    advance(REPLYING_TTL_MS);
    expect(collisions.replying('c1')).toEqual([]);
  });

  it('clears an agent when their reply arrives, not when someone else’s does', () => {
    const { collisions } = setup();
    collisions.typing(typing('ana', 'Ana'));
    collisions.message(message('c1', 3, { direction: 'out', author: { kind: 'agent', id: 'bo', name: 'Bo' } }));
    expect(collisions.replying('c1')).toEqual(['Ana']);
    collisions.message(message('c1', 4, { direction: 'out', author: { kind: 'agent', id: 'ana', name: 'Ana' } }));
    expect(collisions.replying('c1')).toEqual([]);
  });

  it('tells listeners of each change and words several agents', () => {
    const { collisions } = setup();
    let calls = 0;
    collisions.subscribe(() => calls++);
    collisions.typing(typing('ana', 'Ana'));
    collisions.typing(typing('ana', 'Ana'));
    collisions.typing(typing('bo', 'Bo'));
    expect(calls).toBe(2);
    expect(collisionNotice(collisions.replying('c1'))).toBe('Ana and Bo are replying — you might answer twice');
    expect(collisionNotice(['Ana', 'Bo', 'Cy'])).toBe('Ana and 2 others are replying — you might answer twice');
  });
});
