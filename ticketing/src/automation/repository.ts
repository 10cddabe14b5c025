import type { DocumentStore } from '@switchboard/store';
import { TenantCollection } from '@switchboard/tenancy';
import type { AutomationRuleRecord, AutomationRunRecord, MacroRecord } from './records.js';

export interface AutomationRepositories {
  tenantId: string;
  rules: TenantCollection<AutomationRuleRecord>;
  macros: TenantCollection<MacroRecord>;
  runs: TenantCollection<AutomationRunRecord>;
}

/** Collections automation owns (deleted with the tenant). */
export const AUTOMATION_COLLECTIONS = ['automation_rules', 'macros', 'automation_runs'] as const;

/** Automation's repository layer: everything pinned to one tenant; the idle sweeper's cross-tenant look-up is a named method. */
export class AutomationStore {
  constructor(private readonly store: DocumentStore) {}

  forTenant(tenantId: string): AutomationRepositories {
    return {
      tenantId,
      rules: new TenantCollection(this.store.collection<AutomationRuleRecord>('automation_rules'), tenantId),
      macros: new TenantCollection(this.store.collection<MacroRecord>('macros'), tenantId),
      runs: new TenantCollection(this.store.collection<AutomationRunRecord>('automation_runs'), tenantId),
    };
  }

  async ensureIndexes(): Promise<void> {
    await this.store.collection('automation_rules').createIndex({ keys: { tenantId: 1, position: 1 } });
    await this.store.collection('macros').createIndex({ keys: { tenantId: 1, name: 1 } });
    await this.store.collection('automation_runs').createIndex({ keys: { tenantId: 1, ruleId: 1, conversationId: 1, at: -1 } });
    await this.store.collection('automation_runs').createIndex({ keys: { at: 1 } });
  }

  /** Enabled idle rules of every tenant (the idle sweeper walks them). */
  idleRules(): Promise<AutomationRuleRecord[]> {
    return this.store.collection<AutomationRuleRecord>('automation_rules').find({ enabled: true, 'trigger.kind': 'conversation_idle' }, { limit: 1000 });
  }

  /** Forget run markers older than `before` (redeliveries come within minutes, not days). */
  pruneRuns(before: Date): Promise<number> {
    return this.store.collection<AutomationRunRecord>('automation_runs').deleteMany({ at: { $lt: before } });
  }
}
