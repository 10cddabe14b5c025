import { newId } from '@switchboard/contracts';
import { Rounds } from '@switchboard/runtime';
import type { Repositories } from '@switchboard/inbox-service';
import type { KeyValue } from '@switchboard/kv';
import type { Logger } from '@switchboard/logging';
import type { AutomationStore } from './repository.js';
import type { AutomationRunner } from './runner.js';

export interface IdleSweeperOptions {
  store: AutomationStore;
  inbox: Repositories;
  runner: AutomationRunner;
  kv: KeyValue;
  logger: Logger;
  /** How often idle conversations are looked for (default 30 s). */
  everyMs?: number;
  /** Run markers are kept this long (default 7 days), then pruned. */
  keepRunsMs?: number;
}

const PAGE = 200;

/**
 * The "conversation idle for N minutes" trigger: open conversations whose last message (either
 * way) is N minutes old fire the rule once per quiet stretch — the event's key is the
 * conversation and the time of its last message, so a new message starts a new stretch. Every
 * instance may run it: a KV lock per round keeps one at work, and the run markers' unique key
 * stops a second one from running a rule again.
 */
export class IdleSweeper {
  private readonly rounds: Rounds;

  constructor(private readonly opts: IdleSweeperOptions) {
    this.rounds = new Rounds(() => this.runOnce(), { everyMs: opts.everyMs ?? 30_000, logger: opts.logger, name: 'automation idle sweep' });
  }

  start(): void {
    this.rounds.start();
  }

  stop(): Promise<void> {
    return this.rounds.stop();
  }

  async runOnce(now = new Date()): Promise<void> {
    const lock = 'sb:automation-idle';
    const me = newId();
    if (!(await this.opts.kv.set(lock, me, { nx: true, ttlMs: 60_000 }).catch(() => true))) return;
    try {
      for (const rule of await this.opts.store.idleRules()) {
        if (rule.trigger.kind !== 'conversation_idle') continue;
        const minutes = rule.trigger.minutes;
        const cutoff = new Date(now.getTime() - minutes * 60_000);
        // Conversations that went quiet since the last round; at first, since the rule could have seen them.
        const from = rule.idleSweptUntil ? new Date(rule.idleSweptUntil) : new Date(new Date(rule.createdAt).getTime() - minutes * 60_000);
        if (from >= cutoff) continue;
        const quiet = await this.opts.inbox
          .forTenant(rule.tenantId)
          .conversations.find({ status: 'open', 'lastMessage.at': { $gt: from, $lte: cutoff } }, { sort: { 'lastMessage.at': 1 }, limit: PAGE });
        for (const conv of quiet) {
          const at = new Date(conv.lastMessage!.at);
          const idleMinutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
          await this.opts.runner.fire(rule.tenantId, [rule], { kind: 'conversation_idle', id: `idle:${conv._id}:${at.getTime()}`, idleMinutes }, { conversationId: conv._id });
        }
        const last = quiet.at(-1)?.lastMessage?.at;
        const sweptUntil = quiet.length < PAGE || !last ? cutoff : new Date(last);
        await this.opts.store.forTenant(rule.tenantId).rules.updateOne({ _id: rule._id }, { $set: { idleSweptUntil: sweptUntil } });
      }
      await this.opts.store.pruneRuns(new Date(now.getTime() - (this.opts.keepRunsMs ?? 7 * 86_400_000)));
    } finally {
      if ((await this.opts.kv.get(lock).catch(() => null)) === me) await this.opts.kv.del(lock).catch(() => undefined);
    }
  }
}
