import { createHash, randomBytes } from 'node:crypto';
import type { Bus } from '@switchboard/bus';
import { CSAT_COMMENT_MAX, CSAT_EDIT_WINDOW_MS, newId, type CsatAnsweredData, type CsatRating, type WidgetCsat } from '@switchboard/contracts';
import { errors, SbError } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import { DuplicateKeyError } from '@switchboard/store';
import type { ConversationService } from '../conversations.js';
import type { Fanout } from '../fanout.js';
import type { ConversationRecord, CsatRecord, Repositories, TenantRepositories } from '../repositories/index.js';
import { conversationView } from '../views.js';
import { csatLocale, csatTexts, fill } from './texts.js';

/**
 * CSAT surveys (docs/csat.md). Records: collection `csat`, shape in repositories/records.ts
 * (CsatRecord) and platform/contracts/src/csat.ts, which reports read.
 *
 * A conversation set resolved (by an agent, a bulk action or automation: ConversationService's
 * onResolved) gets a survey — once per round: resolving again without the customer having written
 * since changes nothing. A website visitor is asked in the widget (`csat:request`, and in the
 * session answer while unanswered); every other channel gets a message with the link
 * `<PUBLIC_URL>/csat/<token>`, sent like an agent's reply under a key made from the survey, so a
 * retry never sends it twice.
 */

export interface CsatServiceDeps {
  repos: Repositories;
  conversations: ConversationService;
  fanout: Fanout;
  bus: Bus;
  logger: Logger;
  /** PUBLIC_URL of the hub: the links point there. */
  publicUrl: string;
  /** The time; tests step it past the edit window. Default: the system clock. */
  now?: () => Date;
}

/** The sender of the link message: marked as not written by a person. */
const SURVEY_AUTHOR = 'csat';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Changing an answer after its day is up. */
export const csatClosed = () => new SbError('SB_ERR_CSAT_CLOSED', 409, 'This rating can no longer be changed: answers can be edited for 24 hours after they were given.');

const noSurvey = () => errors.notFound('The survey');

/** The survey as the widget shows it. */
export function widgetCsat(s: CsatRecord): WidgetCsat {
  return {
    rating: s.rating,
    ...(s.comment ? { comment: s.comment } : {}),
    ...(s.editableUntil ? { editableUntil: new Date(s.editableUntil).toISOString() } : {}),
  };
}

/** A whole number 1..5 (the page turns its form's text into a number first). */
export function checkRating(value: unknown): CsatRating {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5) throw errors.validation('rating must be a whole number from 1 to 5.', { path: '/rating' });
  return value as CsatRating;
}

function checkComment(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > CSAT_COMMENT_MAX) throw errors.validation(`comment must be text of at most ${CSAT_COMMENT_MAX} characters.`, { path: '/comment' });
  return value.trim() || null;
}

export class CsatService {
  private readonly now: () => Date;

  constructor(private readonly deps: CsatServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The survey a link's token names, with its tenant's repositories; null for an unknown token. */
  async byToken(token: string): Promise<{ r: TenantRepositories; survey: CsatRecord } | null> {
    if (!/^[\w-]{20,100}$/.test(token)) return null;
    const survey = await this.deps.repos.findCsatByTokenHash(hashToken(token));
    return survey ? { r: this.deps.repos.forTenant(survey.tenantId), survey } : null;
  }

  /** Whether an answer given now could still be changed. */
  editable(s: CsatRecord): boolean {
    return s.answeredAt === null || (s.editableUntil !== null && new Date(s.editableUntil).getTime() > this.now().getTime());
  }

  /** After a conversation was resolved: make its survey (once per round) and ask the customer. */
  async resolved(r: TenantRepositories, conversationId: string): Promise<void> {
    const tenant = await this.deps.repos.getTenant(r.tenantId);
    if (!tenant || tenant.csatEnabled === false) return;
    const conv = await r.conversations.findById(conversationId);
    if (!conv || conv.status !== 'resolved') return;
    const latest = await this.latest(r, conv._id);
    if (latest && !(await this.wroteSince(r, conv._id, latest.requestedAt))) {
      // Resolved again with nothing new from the customer: the same survey stands.
      if (latest.rating === null && conv.channel === 'web') this.toVisitor(conv, latest);
      return;
    }
    const token = randomBytes(24).toString('base64url');
    const locale = csatLocale(tenant.locale);
    let survey: CsatRecord;
    try {
      survey = await r.csat.insertOne({
        _id: newId(),
        conversationId: conv._id,
        inboxId: conv.inboxId,
        channel: conv.channel,
        agentId: conv.assigneeId,
        teamId: conv.teamId ?? null,
        round: (latest?.round ?? 0) + 1,
        requestedAt: this.now(),
        tokenHash: hashToken(token),
        locale,
        rating: null,
        comment: null,
        answeredAt: null,
        updatedAt: null,
        editableUntil: null,
      });
    } catch (err) {
      // Resolved twice at the same moment: the other request made the survey.
      if (err instanceof DuplicateKeyError) return;
      throw err;
    }
    const log = this.deps.logger.child({ tenantId: r.tenantId, conversationId: conv._id, surveyId: survey._id });
    if (conv.channel === 'web') {
      this.toVisitor(conv, survey);
    } else {
      const url = `${this.deps.publicUrl.replace(/\/$/, '')}/csat/${token}`;
      await this.deps.conversations.reply(
        r,
        conv._id,
        { agentId: SURVEY_AUTHOR, name: tenant.name, kind: 'system' },
        { text: fill(csatTexts[locale].link, { url }), idempotencyKey: `csat:${survey._id}` },
      );
    }
    // Reports count surveys asked (response rate) from this, not only from answers.
    await this.deps.bus
      .publishEvent({
        id: newId(),
        v: 1,
        type: 'csat.requested',
        tenantId: r.tenantId,
        at: new Date().toISOString(),
        data: { surveyId: survey._id, conversationId: conv._id, inboxId: conv.inboxId, channel: conv.channel, agentId: survey.agentId, teamId: survey.teamId, requestedAt: survey.requestedAt.toISOString() },
      })
      .catch((err: unknown) => log.warn({ err }, 'csat.requested event not published'));
    log.info({ channel: conv.channel, round: survey.round }, 'csat survey requested');
  }

  /** The website visitor's survey for the session answer: while the conversation is resolved and the survey unanswered or still editable. */
  async forVisitor(r: TenantRepositories, conv: ConversationRecord | null): Promise<WidgetCsat | undefined> {
    if (!conv || conv.status !== 'resolved') return undefined;
    const survey = await this.latest(r, conv._id);
    return survey && this.editable(survey) ? widgetCsat(survey) : undefined;
  }

  /** `csat:answer` from the visitor's widget: the latest survey of their conversation. Answers the socket's ack. */
  async answerFromWidget(
    r: TenantRepositories,
    conv: ConversationRecord | null,
    req: unknown,
  ): Promise<{ ok: true; data: WidgetCsat } | { ok: false; error: { code: string; message: string } }> {
    try {
      const survey = conv && (await this.latest(r, conv._id));
      if (!survey) throw noSurvey();
      const body = (req ?? {}) as { rating?: unknown; comment?: unknown };
      return { ok: true, data: widgetCsat(await this.answer(r, survey, body)) };
    } catch (err) {
      if (err instanceof SbError) return { ok: false, error: { code: err.code, message: err.message } };
      this.deps.logger.error({ err, tenantId: r.tenantId, conversationId: conv?._id }, 'csat:answer failed');
      return { ok: false, error: { code: 'SB_ERR_INTERNAL', message: 'The rating could not be saved; try again.' } };
    }
  }

  /**
   * Store the customer's answer (or its change within 24 hours of the first): the conversation
   * shows it, agents' consoles follow, sb.events hears `csat.answered`. Throws SB_ERR_VALIDATION
   * for a bad rating or comment, SB_ERR_CSAT_CLOSED once the answer can no longer change.
   */
  async answer(r: TenantRepositories, survey: CsatRecord, input: { rating?: unknown; comment?: unknown }): Promise<CsatRecord> {
    const rating = checkRating(input.rating);
    const comment = checkComment(input.comment);
    const now = this.now();
    const first = survey.answeredAt === null;
    if (!this.editable(survey)) throw csatClosed();
    // Conditional, so two answers at once cannot both be "first", and none lands after the window.
    const updated = await r.csat.findOneAndUpdate(
      first ? { _id: survey._id, answeredAt: null } : { _id: survey._id, editableUntil: { $gt: now } },
      { $set: { rating, comment, updatedAt: now, ...(first ? { answeredAt: now, editableUntil: new Date(now.getTime() + CSAT_EDIT_WINDOW_MS) } : {}) } },
      { returnDocument: 'after' },
    );
    if (!updated) {
      const current = await r.csat.findById(survey._id);
      if (!current) throw noSurvey();
      if (first && current.answeredAt !== null) return this.answer(r, current, input);
      throw csatClosed();
    }
    const answeredAt = updated.answeredAt ?? now;
    const conv = await r.conversations.findOneAndUpdate(
      { _id: survey.conversationId },
      { $set: { csat: { rating, ...(comment ? { comment } : {}), answeredAt } } },
      { returnDocument: 'after' },
    );
    if (conv) {
      this.deps.fanout.conversationToAgents(r.tenantId, conversationView(conv));
      // Every open widget of the visitor shows the answer.
      if (conv.channel === 'web') this.toVisitor(conv, updated);
    }
    const data: CsatAnsweredData = {
      surveyId: updated._id,
      conversationId: updated.conversationId,
      inboxId: updated.inboxId,
      channel: updated.channel,
      agentId: updated.agentId,
      teamId: updated.teamId,
      rating,
      comment,
      requestedAt: new Date(updated.requestedAt).toISOString(),
      answeredAt: new Date(answeredAt).toISOString(),
      edited: !first,
    };
    const log = this.deps.logger.child({ tenantId: r.tenantId, conversationId: updated.conversationId, surveyId: updated._id });
    await this.deps.bus
      .publishEvent({ id: newId(), v: 1, type: 'csat.answered', tenantId: r.tenantId, at: now.toISOString(), data: { ...data } })
      .catch((err: unknown) => log.warn({ err }, 'csat.answered event not published'));
    log.info({ rating, edited: !first }, 'csat answered');
    return updated;
  }

  private latest(r: TenantRepositories, conversationId: string): Promise<CsatRecord | null> {
    return r.csat.findOne({ conversationId }, { sort: { round: -1 } });
  }

  /** Whether the customer wrote in the conversation after `since`. */
  private async wroteSince(r: TenantRepositories, conversationId: string, since: Date): Promise<boolean> {
    return (await r.messages.findOne({ conversationId, direction: 'in', createdAt: { $gt: since } })) !== null;
  }

  private toVisitor(conv: ConversationRecord, survey: CsatRecord): void {
    this.deps.fanout.csatToVisitor(conv.tenantId, conv.inboxId, conv.threadKey, widgetCsat(survey));
  }
}
