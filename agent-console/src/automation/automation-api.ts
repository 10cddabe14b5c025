import type { AutomationDryRun, AutomationRuleCreate, AutomationRuleUpdate, AutomationRuleView, MacroCreate, MacroRunResult, MacroUpdate, MacroView } from '@switchboard/contracts';
import type { ExtraApi, HttpMethod } from '../api.js';

/** The automation calls (docs/automation.md) on the API client's authenticated `call`. */

type Items<T> = Promise<{ items: T[] }>;
const enc = encodeURIComponent;
const RULES = '/api/v1/automation/rules';
const MACROS = '/api/v1/macros';

export function automationApi(http: Pick<ExtraApi, 'call'>) {
  const call = <T>(method: HttpMethod, path: string, body?: unknown) => http.call<T>(method, path, body);
  return {
    rules: (): Items<AutomationRuleView> => call('GET', RULES),
    createRule: (body: AutomationRuleCreate): Promise<AutomationRuleView> => call('POST', RULES, body),
    updateRule: (id: string, change: AutomationRuleUpdate): Promise<AutomationRuleView> => call('PATCH', `${RULES}/${enc(id)}`, change),
    deleteRule: (id: string): Promise<void> => call('DELETE', `${RULES}/${enc(id)}`),
    /** Every rule id, first to last; answers the rules in their new order. */
    reorder: (ids: string[]): Items<AutomationRuleView> => call('POST', `${RULES}/reorder`, { ids }),
    dryRun: (id: string, conversationId: string): Promise<AutomationDryRun> => call('POST', `${RULES}/${enc(id)}/dry-run`, { conversationId }),
    macros: (): Items<MacroView> => call('GET', MACROS),
    createMacro: (body: MacroCreate): Promise<MacroView> => call('POST', MACROS, body),
    updateMacro: (id: string, change: MacroUpdate): Promise<MacroView> => call('PATCH', `${MACROS}/${enc(id)}`, change),
    deleteMacro: (id: string): Promise<void> => call('DELETE', `${MACROS}/${enc(id)}`),
    runMacro: (id: string, conversationId: string): Promise<MacroRunResult> => call('POST', `${MACROS}/${enc(id)}/run`, { conversationId }),
  };
}
export type AutomationApi = ReturnType<typeof automationApi>;
