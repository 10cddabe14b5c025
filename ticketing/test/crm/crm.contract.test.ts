import { DirectoryCrm } from '../../src/crm/builtin.js';
import { HubSpotCrm } from '../../src/crm/hubspot.js';
import { KommoCrm } from '../../src/crm/kommo.js';
import { crmContract } from './crm.contract.js';
import { deadUrl, startDirectoryHub } from './directory-hub.js';
import { HubSpotStandIn } from './hubspot-stand-in.js';
import { HANDLES_FIELD_ID, KommoStandIn } from './kommo-stand-in.js';

crmContract('builtin directory over REST (real service, API key)', async () => {
  const hub = await startDirectoryHub();
  const dead = await deadUrl();
  const make = (over: { apiKey?: string; baseUrl?: string; timeoutMs?: number } = {}) => new DirectoryCrm({ baseUrl: hub.url, apiKey: hub.apiKey, ...over });
  return {
    provider: make(),
    withBadToken: () => make({ apiKey: `sbk_${'0'.repeat(32)}_${'A'.repeat(43)}` }),
    withTimeout: (timeoutMs) => make({ timeoutMs }),
    unreachable: () => make({ baseUrl: dead }),
    failNext: (n, failure) => hub.failNext(n, failure),
    delay: (ms) => void (hub.delayMs = ms),
    notesOf: async (id) => (await hub.app.directory.notes(hub.tenantId, id, 50)).map((n) => `${n.text}\n${n.url ?? ''}`),
    features: { handleLookup: true, company: true },
    close: () => hub.close(),
  };
});

crmContract('HubSpot CRM v3 (stand-in)', async () => {
  const hubspot = await new HubSpotStandIn().start();
  const dead = await deadUrl();
  const make = (over: { token?: string; baseUrl?: string; timeoutMs?: number } = {}) => new HubSpotCrm({ token: hubspot.token, baseUrl: hubspot.url, portalId: '4242', ...over });
  return {
    provider: make(),
    withBadToken: () => make({ token: 'pat-na1-revoked' }),
    withTimeout: (timeoutMs) => make({ timeoutMs }),
    unreachable: () => make({ baseUrl: dead }),
    failNext: (n, failure) => hubspot.failNext(n, failure),
    delay: (ms) => void (hubspot.delayMs = ms),
    notesOf: async (id) => hubspot.notesOf(id),
    features: { handleLookup: true, company: true },
    close: () => hubspot.close(),
  };
});

crmContract('Kommo API v4, handles in a custom field (stand-in)', async () => {
  const kommo = await new KommoStandIn().start();
  const dead = await deadUrl();
  const make = (over: { token?: string; baseUrl?: string; timeoutMs?: number } = {}) => new KommoCrm({ token: kommo.token, baseUrl: kommo.url, handlesFieldId: HANDLES_FIELD_ID, ...over });
  return {
    provider: make(),
    withBadToken: () => make({ token: 'revoked' }),
    withTimeout: (timeoutMs) => make({ timeoutMs }),
    unreachable: () => make({ baseUrl: dead }),
    failNext: (n, failure) => kommo.failNext(n, failure),
    delay: (ms) => void (kommo.delayMs = ms),
    notesOf: async (id) => kommo.notesOf(id),
    features: { handleLookup: true, company: false },
    close: () => kommo.close(),
  };
});

crmContract('Kommo API v4, no handles field: handles go to a note (stand-in)', async () => {
  const kommo = await new KommoStandIn(undefined, false).start();
  const dead = await deadUrl();
  const make = (over: { token?: string; baseUrl?: string; timeoutMs?: number } = {}) => new KommoCrm({ token: kommo.token, baseUrl: kommo.url, ...over });
  return {
    provider: make(),
    withBadToken: () => make({ token: 'revoked' }),
    withTimeout: (timeoutMs) => make({ timeoutMs }),
    unreachable: () => make({ baseUrl: dead }),
    failNext: (n, failure) => kommo.failNext(n, failure),
    delay: (ms) => void (kommo.delayMs = ms),
    notesOf: async (id) => kommo.notesOf(id),
    features: { handleLookup: false, company: false },
    close: () => kommo.close(),
  };
});
