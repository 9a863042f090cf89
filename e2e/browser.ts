import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, quiet: the one browser every e2e file drives. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Collects what must not happen on a page: script errors and console errors (which include
 * Content-Security-Policy violations). A step that provokes an error on purpose (a refused request
 * shows as "Failed to load resource: … 409") allows exactly that message first.
 */
export function watchProblems(page: Page, label: string) {
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  page.on('pageerror', (error) => problems.push(`${label} pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (!allowed.some((re) => re.test(text))) problems.push(`${label} console: ${text}`);
  });
  return {
    problems,
    /** expect a failed request with this HTTP status from now on */
    allowStatus: (status: number) => allowed.push(new RegExp(`status of ${status}\\b`)),
  };
}

/** Signs in through the form and waits for the overview. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}
