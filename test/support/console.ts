import type { Page } from 'playwright-core';

export { launchChromium } from '@switchboard/testkit/browser';

export const DEMO_EMAIL = 'admin@demo.switchboard.local';
export const DEMO_PASSWORD = 'switchboard-demo';


/** Signs in to the console at `url` and waits until it is live. */
export async function signInToConsole(page: Page, url: string, email = DEMO_EMAIL, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(url + '/');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
}

/** Opens a conversation from the list and waits until its composer is there. */
export async function openConversation(page: Page, conversationId: string): Promise<void> {
  await page.locator(`[data-testid="conversation-item"][data-id="${conversationId}"]`).click();
  await page.getByTestId('composer').waitFor();
}

/** An access token for the REST API, as the console's sign-in gets it. */
export async function apiToken(url: string, email = DEMO_EMAIL, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/**
 * The REST API as a test's admin calls it: JSON in and out, and anything but 2xx throws with the
 * status and body. Getters, because the hub and the token come from beforeAll.
 */
export function restApi(url: () => string, token: () => string) {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(url() + path, {
      method,
      headers: { authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}
