import type { DocumentStore } from '@switchboard/store';
import { TenantCollection, type TenantDoc } from '@switchboard/tenancy';
import type { Fact, HourRow } from './facts.js';

/** A resolution seen by the follower (or inferred by the rebuild for older data). */
export interface ResolutionRecord extends TenantDoc {
  conversationId: string;
  at: Date;
  agentId: string | null;
  teamId: string | null;
  /** true when the rebuild inferred it from a resolved conversation's updatedAt. */
  inferred?: boolean;
}

/** An agent's last presence as the follower heard it: where the next online interval starts. */
export interface PresenceStateRecord extends TenantDoc {
  agentId: string;
  status: string;
  since: Date;
}

export type FactRecord = Fact & TenantDoc;
export type HourRecord = HourRow & TenantDoc;

/** Collections the reports own (deleted with the tenant). */
export const REPORT_COLLECTIONS = ['report_hours', 'report_days', 'report_months', 'report_facts', 'report_resolutions', 'report_presence'] as const;

export interface ReportRepositories {
  tenantId: string;
  hours: TenantCollection<HourRecord>;
  /** The hourly rows summed per UTC day (same shape; `hour` is the day's start). */
  days: TenantCollection<HourRecord>;
  /** The day rows summed per UTC month (same shape; `hour` is the month's start). */
  months: TenantCollection<HourRecord>;
  facts: TenantCollection<FactRecord>;
  resolutions: TenantCollection<ResolutionRecord>;
  presence: TenantCollection<PresenceStateRecord>;
}

export class ReportStore {
  constructor(private readonly store: DocumentStore) {}

  forTenant(tenantId: string): ReportRepositories {
    const s = this.store;
    return {
      tenantId,
      hours: new TenantCollection(s.collection<HourRecord>('report_hours'), tenantId),
      days: new TenantCollection(s.collection<HourRecord>('report_days'), tenantId),
      months: new TenantCollection(s.collection<HourRecord>('report_months'), tenantId),
      facts: new TenantCollection(s.collection<FactRecord>('report_facts'), tenantId),
      resolutions: new TenantCollection(s.collection<ResolutionRecord>('report_resolutions'), tenantId),
      presence: new TenantCollection(s.collection<PresenceStateRecord>('report_presence'), tenantId),
    };
  }

  async ensureIndexes(): Promise<void> {
    const s = this.store;
    await s.collection('report_hours').createIndex({ keys: { tenantId: 1, hour: 1 } });
    await s.collection('report_days').createIndex({ keys: { tenantId: 1, hour: 1 } });
    // A month row is refolded from its own dimensions' day rows (builder.refoldMonths).
    await s.collection('report_days').createIndex({ keys: { tenantId: 1, channel: 1, inboxId: 1, teamId: 1, agentId: 1, hour: 1 } });
    await s.collection('report_months').createIndex({ keys: { tenantId: 1, hour: 1 } });
    await s.collection('report_facts').createIndex({ keys: { tenantId: 1, hour: 1 } });
    await s.collection('report_facts').createIndex({ keys: { tenantId: 1, source: 1 } });
    await s.collection('report_resolutions').createIndex({ keys: { tenantId: 1, conversationId: 1 } });
  }

  async deleteTenant(tenantId: string): Promise<number> {
    let n = 0;
    for (const name of REPORT_COLLECTIONS) n += await this.store.collection(name).deleteMany({ tenantId });
    return n;
  }
}
