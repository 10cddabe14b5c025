import { Type, type Static } from 'typebox';

/**
 * CSAT: when a conversation is resolved the customer is asked to rate it, 1–5 with an optional
 * comment — in the widget (web), or by a link to a small page `/csat/<token>` (every other
 * channel). One answer per survey, editable for 24 hours after it was given. docs/csat.md.
 *
 * Stored by inbox-service in the collection `csat` (tenant-scoped, one document per survey):
 *
 *   {
 *     _id: string;               // survey id
 *     tenantId: string;
 *     conversationId: string;
 *     inboxId: string;
 *     channel: Channel;          // 'web' | 'telegram' | 'email' | …
 *     agentId: string | null;    // the conversation's assignee when it was resolved
 *     teamId: string | null;     // the conversation's team (its ticket's) when it was resolved
 *     round: number;             // 1, 2 …: a conversation resolved again after the customer wrote again is asked again
 *     requestedAt: Date;         // when it was resolved and the survey was made (response rate: answered / requested)
 *     tokenHash: string;         // sha256 of the link's token (the token itself is never stored)
 *     locale: 'en' | 'ru';       // language of the link message and page
 *     rating: 1 | 2 | 3 | 4 | 5 | null;  // null until answered
 *     comment: string | null;
 *     answeredAt: Date | null;   // first answer
 *     updatedAt: Date | null;    // latest change of the answer
 *     editableUntil: Date | null; // answeredAt + 24 h
 *   }
 *
 * Reports read it (CSAT score = share of 4s and 5s among answered; response rate = answered /
 * requested, both by requestedAt), or follow the sb.events events `csat.requested` (a survey was
 * made: surveyId, conversationId, inboxId, channel, agentId, teamId, requestedAt) and
 * `csat.answered` (CsatAnsweredData).
 */

export const CsatRating = Type.Integer({ minimum: 1, maximum: 5, description: '1 (very unsatisfied) to 5 (very satisfied).' });
export type CsatRating = 1 | 2 | 3 | 4 | 5;
export const CSAT_COMMENT_MAX = 2000;
/** How long an answer may be changed after it was first given. */
export const CSAT_EDIT_WINDOW_MS = 24 * 3_600_000;

/** What the customer sends: the widget's `csat:answer`, the page's form. */
export const CsatAnswer = Type.Object(
  {
    rating: CsatRating,
    comment: Type.Optional(Type.String({ maxLength: CSAT_COMMENT_MAX })),
  },
  { additionalProperties: false },
);
export type CsatAnswer = Static<typeof CsatAnswer>;

/** The rating on a conversation (ConversationView.csat): the latest answered survey. */
export const CsatView = Type.Object({
  rating: CsatRating,
  comment: Type.Optional(Type.String()),
  answeredAt: Type.String({ format: 'date-time' }),
});
export type CsatView = Static<typeof CsatView>;

/**
 * The survey as the widget sees it: in the session answer while it is unanswered or still
 * editable, and in the `csat:request` event when the conversation is resolved.
 */
export interface WidgetCsat {
  /** null until answered. */
  rating: CsatRating | null;
  comment?: string;
  /** ISO time until which the answer may be changed; absent while unanswered. */
  editableUntil?: string;
}

/** data of the sb.events event `csat.answered` (also on a change within the edit window: `edited: true`). */
export interface CsatAnsweredData {
  surveyId: string;
  conversationId: string;
  inboxId: string;
  channel: string;
  agentId: string | null;
  teamId: string | null;
  rating: CsatRating;
  comment: string | null;
  requestedAt: string;
  answeredAt: string;
  edited: boolean;
}
