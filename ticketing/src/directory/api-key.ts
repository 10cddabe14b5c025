import { newApiKey } from '@switchboard/auth';
import { newId } from '@switchboard/contracts';
import type { Repositories } from '@switchboard/inbox-service';

/**
 * An API key that may only read and write the tenant's contacts: what the built-in directory
 * adapter talks to the directory's REST API with, exactly like an outside client. Returns the key
 * (only its hash is stored).
 */
export async function directoryApiKey(inbox: Repositories, tenantId: string, name = 'Built-in directory (ticketing)'): Promise<string> {
  const id = newId();
  const { key, hash, hint } = newApiKey(id);
  await inbox.forTenant(tenantId).apiKeys.insertOne({
    _id: id,
    name,
    scopes: ['contacts:read', 'contacts:write'],
    hash,
    hint,
    createdBy: 'system',
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
  });
  return key;
}
