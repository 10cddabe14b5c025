import type { AutomationAction, AutomationCondition, AutomationTrigger } from '@switchboard/contracts';
import type { TenantDoc } from '@switchboard/tenancy';

export interface AutomationRuleRecord extends TenantDoc {
  name: string;
  enabled: boolean;
  trigger: AutomationTrigger;
  match: 'all' | 'any';
  conditions: AutomationCondition[];
  actions: AutomationAction[];
  /** Rules run in ascending position (then by id); new rules go last. */
  position: number;
  stats: { runs: number; lastRunAt: Date | null; lastError: string | null; capped: number };
  /** conversation_idle: conversations whose last message is at or before this were already looked at. */
  idleSweptUntil?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MacroRecord extends TenantDoc {
  name: string;
  actions: AutomationAction[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One rule's run for one event: `_id` is tenant + event id + rule id, so a redelivered event
 * (or a second instance sweeping the same idle conversation) finds it and runs nothing again.
 */
export interface AutomationRunRecord extends TenantDoc {
  ruleId: string;
  eventId: string;
  conversationId: string | null;
  outcome: 'ran' | 'failed' | 'capped';
  error?: string;
  at: Date;
}
