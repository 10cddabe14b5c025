import type { FastifyRequest } from 'fastify';
import { newId } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { AuditType, Repositories } from '../repositories/index.js';

export interface AuditEntry {
  type: AuditType;
  agentId: string | null;
  email?: string;
  details?: Record<string, unknown>;
}

/** Where a request came from, as the audit log records it. */
export function origin(req: FastifyRequest): { ip: string; userAgent: string } {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300) };
}

/**
 * The audit log of sign-ins and account changes, kept per tenant. Writing it never fails the
 * request it records: a store error is logged instead.
 */
export class AuditLog {
  constructor(
    private readonly repos: Repositories,
    private readonly logger: Logger,
  ) {}

  async record(tenantId: string, req: FastifyRequest, entry: AuditEntry): Promise<void> {
    const { ip, userAgent } = origin(req);
    try {
      await this.repos.forTenant(tenantId).audit.insertOne({
        _id: newId(),
        type: entry.type,
        agentId: entry.agentId,
        ...(entry.email ? { email: entry.email } : {}),
        ...(entry.details ? { details: entry.details } : {}),
        ip,
        userAgent,
        at: new Date(),
      });
    } catch (err) {
      this.logger.error({ err, tenantId, type: entry.type }, 'audit entry not stored');
    }
  }
}
