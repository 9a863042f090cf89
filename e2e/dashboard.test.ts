import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startBackend, type BackendProcess } from '../backend/test/helpers/process.ts';
import { formatMs } from '../frontend/src/lib/format.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.join(REPO_ROOT, 'test-results');

// The whole platform as a user meets it: `npm start` (dashboard build, backend, managed agent) and
// Debian's Chromium signing up and watching a live result arrive from the local agent.
describe('dashboard in a real browser', () => {
  let platform: BackendProcess;
  let browser: Browser;

  beforeAll(async () => {
    [platform, browser] = await Promise.all([
      startBackend({}, 180_000, ['scripts/start.mjs']),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      }),
    ]);
    mkdirSync(SHOTS, { recursive: true });
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('signs up, sees the local agent online and a live result arrive in its check card', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const results: Array<{ agentName: string; checkId: string; durationMs: number | null; success: boolean }> = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const frame = JSON.parse(String(payload));
        if (frame.type === 'result') results.push(frame.result);
      }),
    );

    // the page must run clean: no script errors, no Content-Security-Policy violations
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });

    await page.goto(platform.url);
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: /sign up|create/i }).click();
    await page.getByLabel('Name').fill('Ada Operator');
    await page.getByLabel('Email').fill('ada@example.test');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: /sign up|create account/i }).click();

    const agentsTable = page.getByRole('table');
    await expect.poll(() => agentsTable.getByText('local').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => agentsTable.getByText(/online/i).count(), { timeout: 10_000 }).toBeGreaterThan(0);

    // a result pushed over the WebSocket after the page loaded, shown in its card
    const card = page.locator('[data-check="local/http-healthz"]');
    await expect
      .poll(() => results.filter((r) => r.checkId === 'http-healthz').length, { timeout: 10_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(
        async () => {
          const latest = [...results].reverse().find((r) => r.checkId === 'http-healthz')!;
          return (await card.getByTestId('latest-latency').textContent()) === formatMs(latest.durationMs);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await card.getByText('OK').count()).toBeGreaterThan(0);
    for (const check of ['ping-loopback', 'tcp-backend'])
      await expect.poll(() => page.locator(`[data-check="local/${check}"]`).count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-live.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});
