import { Type } from 'typebox';
import { CrmContactCard, ErrorBody } from '@switchboard/contracts';
import { errors, type HttpServer } from '@switchboard/http';
import type { Logger } from '@switchboard/logging';
import type { TicketSettingsRecord } from '../tickets/records.js';
import type { TicketStore } from '../tickets/repository.js';
import type { TicketService } from '../tickets/service.js';
import { CrmError, type CrmProvider } from './types.js';

export interface CrmContactRouteDeps {
  store: TicketStore;
  tickets: TicketService;
  logger: Logger;
  provider(settings: NonNullable<TicketSettingsRecord['crm']>, tenantId: string): CrmProvider;
}

/**
 * GET /api/v1/crm/contacts/:id: one person from the tenant's CRM, whichever it is (built-in
 * directory, HubSpot, Kommo), through CrmProvider.get — what the console's contact card shows.
 */
export async function crmContactRoutes(app: HttpServer, deps: CrmContactRouteDeps): Promise<void> {
  app.get(
    '/crm/contacts/:id',
    {
      config: { access: { scope: 'contacts:read' } },
      schema: {
        tags: ['crm'],
        summary: "A contact from the team's CRM (built-in directory, HubSpot or Kommo) by the CRM's id",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: CrmContactCard, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (req) => {
      const tenantId = req.principal.tenantId;
      const settings = await deps.tickets.settings(deps.store.forTenant(tenantId));
      if (!settings.crm) throw errors.notFound('The CRM contact (no CRM is connected)');
      const crm = deps.provider(settings.crm, tenantId);
      let contact;
      try {
        contact = await crm.get(req.params.id);
      } catch (err) {
        if (err instanceof CrmError && !err.retryable) throw errors.notFound('The CRM contact');
        deps.logger.warn({ err, tenantId, provider: crm.kind }, 'CRM contact not fetched');
        throw errors.unavailable(`The CRM did not answer; try again in a moment. ${err instanceof Error ? err.message : ''}`.trim());
      }
      if (!contact) throw errors.notFound('The CRM contact');
      return {
        provider: crm.kind,
        contact: {
          id: contact.id,
          ...(contact.name ? { name: contact.name } : {}),
          emails: contact.emails,
          phones: contact.phones,
          handles: contact.handles,
          ...(contact.company ? { company: contact.company } : {}),
          ...(contact.url ? { url: contact.url } : {}),
        },
        ...(contact.id !== req.params.id ? { mergedFrom: req.params.id } : {}),
        mergeable: crm.kind === 'builtin',
      };
    },
  );
}
