import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startBackend, type BackendProcess } from '../backend/test/helpers/process.ts';
import { formatMs } from '../frontend/src/lib/format.ts';
import { signIn, watchProblems, launchChromium } from './browser.ts';

const SHOTS = path.join(REPO_ROOT, 'test-results');
const VIEWPORT = { width: 1440, height: 900 };

const ADMIN = { name: 'Ada Operator', email: 'ada@example.test', password: 'correct horse battery' };
const VIEWER = { name: 'Vic Viewer', email: 'vic@example.test', password: 'viewer pass phrase' };
const NEW_ADMIN_PASSWORD = 'a brand new passphrase';

const shoot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });

// The whole platform as a user meets it: `npm start` (dashboard build, backend, managed agent) and
// Debian's Chromium signing up and watching a live result arrive from the local agent.
describe('dashboard in a real browser', () => {
  let platform: BackendProcess;
  let browser: Browser;

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBackend({}, 180_000, ['scripts/start.mjs']), launchChromium()]);
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
        if (frame.type === 'results') results.push(...frame.results);
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
    // the overview's word for a current, successful run (text beside the colour)
    expect(await card.getByText('Up').count()).toBeGreaterThan(0);
    for (const check of ['ping-loopback', 'tcp-backend'])
      await expect.poll(() => page.locator(`[data-check="local/${check}"]`).count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-live.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  // The first account (the test above, or here when run alone) is the admin; everyone else is invited.
  async function ensureAdmin() {
    const response = await fetch(`${platform.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect([201, 403]).toContain(response.status);
  }

  it('lets an admin invite a viewer, who joins without controls and is signed out when disabled', async () => {
    await ensureAdmin();
    const admin = await browser.newPage({ viewport: VIEWPORT });
    const adminWatch = watchProblems(admin, 'admin');

    // sign-up is closed now that an account exists: both pages point to invitations instead
    await admin.goto(`${platform.url}/signup`);
    await admin.getByText('New accounts join by invitation').waitFor();
    expect(await admin.getByRole('button', { name: 'Create account' }).count()).toBe(0);
    await shoot(admin, 'signup-closed');
    await admin.goto(`${platform.url}/login`);
    await admin.getByText('Ask an admin for an invitation link').waitFor();
    expect(await admin.getByRole('link', { name: 'Create one' }).count()).toBe(0);
    await shoot(admin, 'login');
    await signIn(admin, platform.url, ADMIN.email, ADMIN.password);
    await expect.poll(() => admin.getByTestId('header-role').textContent()).toBe('admin');

    // Users: invite a viewer; the link is shown once
    const nav = admin.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('table', { name: 'Users' }).getByText(ADMIN.email).waitFor();
    await admin.getByRole('button', { name: 'Invite user' }).click();
    const inviteDialog = admin.getByRole('dialog');
    await inviteDialog.getByLabel('Email').fill(VIEWER.email);
    await inviteDialog.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await inviteDialog.locator('pre').textContent())!;
    expect(link).toMatch(/^http:\/\/.+\/invite#nop_inv_/);
    await shoot(admin, 'users-invitation-link');
    await inviteDialog.getByRole('button', { name: 'Done' }).click();
    const invitations = admin.getByRole('table', { name: 'Invitations' });
    await invitations.getByRole('row').filter({ hasText: VIEWER.email }).getByText('pending').waitFor();

    // the invitee opens the link in a browser of their own and picks a name and password
    const viewerContext = await browser.newContext({ viewport: VIEWPORT });
    const viewer = await viewerContext.newPage();
    const viewerWatch = watchProblems(viewer, 'viewer');
    await viewer.goto(link);
    await expect.poll(() => viewer.getByTestId('invitation-email').textContent()).toBe(VIEWER.email);
    await viewer.getByLabel('Name').fill(VIEWER.name);
    await viewer.getByLabel('Password', { exact: true }).fill(VIEWER.password);
    await viewer.getByLabel('Confirm password').fill(VIEWER.password);
    await shoot(viewer, 'invite');
    await viewer.getByRole('button', { name: 'Join' }).click();
    await viewer.waitForURL((url) => url.pathname === '/');

    // a viewer sees agents and checks, but no control that would change them
    await viewer.getByRole('table').getByText('local').first().waitFor();
    await expect.poll(() => viewer.getByTestId('header-role').textContent()).toBe('viewer');
    await viewer.getByTestId('read-only-note').waitFor();
    expect(await viewer.getByRole('button', { name: /new agent/i }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /^(start|stop|restart|delete) local$/i }).count()).toBe(0);
    expect(await viewer.getByTitle(/^Edit the checks/).count()).toBe(0);
    const viewerNav = viewer.getByRole('navigation', { name: 'Main' });
    expect(await viewerNav.getByRole('link').allTextContents()).toEqual(['Overview', 'Profile']);
    await viewer.locator('[data-check="local/http-healthz"]').waitFor();
    await shoot(viewer, 'overview-viewer');

    // back on Users (opened afresh, which reloads its lists): the invitation is accepted, and the
    // only admin cannot demote themselves (409)
    await nav.getByRole('link', { name: 'Overview' }).click();
    await nav.getByRole('link', { name: 'Users' }).click();
    await invitations.getByRole('row').filter({ hasText: VIEWER.email }).getByText('accepted').waitFor();
    const users = admin.getByRole('table', { name: 'Users' });
    await users.getByText(VIEWER.email).waitFor();
    adminWatch.allowStatus(409);
    await users.getByLabel(`Role of ${ADMIN.name}`).selectOption('viewer');
    await admin.getByRole('dialog').getByRole('button', { name: 'Become viewer' }).click();
    await users.getByText(/last active admin/).waitFor();
    expect(await users.getByLabel(`Role of ${ADMIN.name}`).inputValue()).toBe('admin');
    expect(await users.getByRole('button', { name: `Delete ${ADMIN.name}` }).isDisabled()).toBe(true);
    await shoot(admin, 'users');

    // "Sign out" on the viewer's row ends their sessions: their dashboard returns to the sign-in page
    viewerWatch.allowStatus(401);
    const viewerRow = users.getByRole('row').filter({ hasText: VIEWER.email });
    await viewerRow.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await users.getByText(`${VIEWER.name} was signed out of 1 session.`).waitFor();
    await viewer.waitForURL(/\/login$/, { timeout: 10_000 });
    await viewer.getByLabel('Email').fill(VIEWER.email);
    await viewer.getByLabel('Password').fill(VIEWER.password);
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.waitForURL((url) => url.pathname === '/');
    await viewer.getByTestId('read-only-note').waitFor();

    // disabling the viewer ends their session: their dashboard signs out and says why
    await users.getByRole('row').filter({ hasText: VIEWER.email }).getByRole('button', { name: 'Disable' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await users.getByRole('row').filter({ hasText: VIEWER.email }).getByText('Disabled').waitFor();
    await viewer.waitForURL(/\/login$/, { timeout: 10_000 });
    await viewer.getByText(/You were signed out/).waitFor();
    await shoot(viewer, 'signed-out');
    viewerWatch.allowStatus(403);
    await viewer.getByLabel('Email').fill(VIEWER.email);
    await viewer.getByLabel('Password').fill(VIEWER.password);
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.getByText('this account is disabled; ask an admin').waitFor();

    // a used link, and one that never was, say so instead of showing the form
    viewerWatch.allowStatus(410);
    await viewer.goto(link);
    await viewer.getByText('This invitation is accepted: ask an admin for a new one.').waitFor();
    await shoot(viewer, 'invite-used');
    viewerWatch.allowStatus(404);
    await viewer.goto(`${platform.url}/invite#nop_inv_not-a-real-one`);
    await viewer.getByText('This invitation link is not valid.', { exact: false }).waitFor();

    expect([...adminWatch.problems, ...viewerWatch.problems]).toEqual([]);
    await viewerContext.close();
    await admin.close();
  }, 120_000);

  it('gives every user a profile (API tokens, sessions, password) and admins an audit log', async () => {
    await ensureAdmin();
    const admin = await browser.newPage({ viewport: VIEWPORT });
    const adminWatch = watchProblems(admin, 'admin');
    await signIn(admin, platform.url, ADMIN.email, ADMIN.password);

    // a second session of the same admin elsewhere, to be signed out from the profile
    const elsewhereContext = await browser.newContext({ viewport: VIEWPORT });
    const elsewhere = await elsewhereContext.newPage();
    const elsewhereWatch = watchProblems(elsewhere, 'elsewhere');
    await signIn(elsewhere, platform.url, ADMIN.email, ADMIN.password);

    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    const sessions = admin.getByRole('table', { name: 'Sessions' });
    await sessions.getByText('This session').waitFor();

    // an API token, shown once, that works as a bearer credential
    await admin.getByRole('button', { name: 'New token' }).click();
    const tokenDialog = admin.getByRole('dialog');
    await tokenDialog.getByLabel('Name').fill('CI deploy');
    await tokenDialog.getByLabel('Role').selectOption('editor');
    await tokenDialog.getByRole('button', { name: 'Create token' }).click();
    const token = (await tokenDialog.locator('pre').textContent())!;
    expect(token).toMatch(/^nop_pat_/);
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await admin.getByRole('table', { name: 'API tokens' }).getByText('CI deploy').waitFor();
    const asToken = { Authorization: `Bearer ${token}` };
    // enough audited changes (renames) that the audit log needs a second page
    for (let i = 0; i < 55; i++) {
      const rename = await fetch(`${platform.url}/api/v1/auth/me`, {
        method: 'PATCH',
        headers: { ...asToken, 'content-type': 'application/json' },
        body: JSON.stringify({ name: i === 54 ? ADMIN.name : `${ADMIN.name} ${i}` }),
      });
      expect(rename.status).toBe(200);
    }

    // "Sign out everywhere else" ends the other session, whose dashboard then signs out
    elsewhereWatch.allowStatus(401);
    await expect.poll(() => sessions.getByRole('row').count()).toBeGreaterThan(2);
    await admin.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await admin.getByText(/Signed out \d+ other session/).waitFor();
    await elsewhere.waitForURL(/\/login$/, { timeout: 10_000 });
    await elsewhere.getByText(/You were signed out/).waitFor();

    // a new password: this tab carries on with the new session it gets back, and is not signed out
    await admin.getByLabel('Current password').fill(ADMIN.password);
    await admin.getByLabel('New password', { exact: true }).fill(NEW_ADMIN_PASSWORD);
    await admin.getByLabel('Confirm new password').fill(NEW_ADMIN_PASSWORD);
    await admin.getByRole('button', { name: 'Change password' }).click();
    await admin.getByText('Password changed.').waitFor();
    await admin.waitForTimeout(2500); // the old session's socket closes meanwhile: it must not sign out
    expect(new URL(admin.url()).pathname).toBe('/profile');
    await admin.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => sessions.getByRole('row').count()).toBe(2); // header + this session
    await shoot(admin, 'profile');

    // the audit log: newest first, paged, filtered by action
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const log = admin.getByRole('table', { name: 'Audit log' });
    await log.getByText('auth.password').first().waitFor();
    expect(await log.getByRole('row').count()).toBe(51); // header + one page
    expect(await log.getByRole('row').nth(1).textContent()).toContain('auth.password');
    await shoot(admin, 'audit', false); // the top: fifty rows make a page too long to read
    await admin.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => log.getByRole('row').count()).toBeGreaterThan(51);
    await admin.getByLabel('Action').fill('invitation');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(async () => (await log.locator('tbody tr td:nth-child(3)').allTextContents()).join(' '))
      .toMatch(/^invitation\.\S+( invitation\.\S+)*$/);
    await shoot(admin, 'audit-filtered');

    // the new password signs in; the old one no longer does
    await admin.getByRole('button', { name: 'Log out' }).click();
    await admin.waitForURL(/\/login$/);
    adminWatch.allowStatus(401);
    await admin.getByLabel('Email').fill(ADMIN.email);
    await admin.getByLabel('Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByText('Wrong email or password.').waitFor();
    await admin.getByLabel('Password').fill(NEW_ADMIN_PASSWORD);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.waitForURL((url) => url.pathname === '/');

    expect([...adminWatch.problems, ...elsewhereWatch.problems]).toEqual([]);
    await elsewhereContext.close();
    await admin.close();
  }, 120_000);
});
