import { mkdirSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startBackend, type BackendProcess } from '../backend/test/helpers/process.ts';
import { signIn, watchProblems, launchChromium } from './browser.ts';

const SHOTS = path.join(REPO_ROOT, 'test-results');
const WIDTHS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 }, // a phone
];
const THEMES = ['light', 'dark'] as const;
/** WCAG 2.1 A and AA: what the dashboard promises. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const ADMIN = { name: 'Ada Operator', email: 'ada@example.test', password: 'correct horse battery' };

/** What the pages need from the running platform: an invitation link and a check to open. */
interface Fixture {
  invitePath: string;
  checkId: string | null;
}

export interface A11yPage {
  /** in test names and screenshot files: `<name>-<theme>-<width>.png` */
  name: string;
  /** null when the platform has nothing to show there (no check yet): the route is skipped */
  path: (f: Fixture) => string | null;
  signedIn: boolean;
  /** resolves once the page shows its content, not a spinner */
  ready: (page: Page) => Promise<unknown>;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

/** Every page of the dashboard: add a page here and it is scanned in both themes at both widths. */
export const A11Y_PAGES: A11yPage[] = [
  {
    name: 'overview',
    path: () => '/',
    signedIn: true,
    ready: async (page) => {
      await heading(page, 'Overview');
      await page.getByText('local', { exact: true }).first().waitFor();
    },
  },
  {
    name: 'users',
    path: () => '/users',
    signedIn: true,
    ready: (page) => page.getByRole('table', { name: 'Users' }).getByText(ADMIN.email).waitFor(),
  },
  {
    name: 'profile',
    path: () => '/profile',
    signedIn: true,
    ready: (page) => page.getByRole('table', { name: 'Sessions' }).getByText('This session').waitFor(),
  },
  {
    name: 'audit',
    path: () => '/audit',
    signedIn: true,
    ready: (page) => page.getByRole('table', { name: 'Audit log' }).getByRole('row').nth(1).waitFor(),
  },
  { name: 'login', path: () => '/login', signedIn: false, ready: (page) => heading(page, 'Sign in') },
  { name: 'signup', path: () => '/signup', signedIn: false, ready: (page) => page.getByLabel('Name').waitFor() },
  {
    name: 'invite',
    path: (f) => f.invitePath,
    signedIn: false,
    ready: (page) => page.getByTestId('invitation-email').waitFor(),
  },
  {
    name: 'check',
    path: (f) => (f.checkId ? `/checks/${encodeURIComponent(f.checkId)}` : null),
    signedIn: true,
    ready: (page) => page.getByRole('heading', { level: 1 }).waitFor(),
  },
  {
    name: 'check-editor',
    path: () => '/checks/new',
    signedIn: true,
    ready: (page) => page.getByRole('heading', { level: 1 }).waitFor(),
  },
];

/** One line per violation and element: rule, impact, what is wrong, where, and how to fix it. */
function describeViolations(violations: axe.Result[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact}) ${v.help}\n    at ${n.target.join(' ')}\n    ${(n.failureSummary ?? '').replace(/\n/g, '\n    ')}`,
    ),
  );
}

async function runAxe(page: Page): Promise<string[]> {
  // not page.addScriptTag({ content }): an inline <script> is what the dashboard's CSP
  // (script-src 'self') forbids, and bypassing the CSP would hide the violations watchProblems
  // catches. Evaluated through DevTools instead, where the policy does not apply.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axe.source}\n;0`);
  const results = await page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    AXE_TAGS,
  );
  return describeViolations(results.violations);
}

// Every page, both themes, desktop and phone: axe-core finds no WCAG 2.1 A/AA violation, and a
// screenshot of each lands in test-results/ for a person to look at.
describe('accessibility of every page', () => {
  let platform: BackendProcess;
  let browser: Browser;
  const fixture: Fixture = { invitePath: '/invite', checkId: null };
  const contexts = new Map<string, BrowserContext>();

  beforeAll(async () => {
    [platform, browser] = await Promise.all([
      // open sign-up, so the sign-up page shows its form rather than "ask for an invitation"
      startBackend({ NOP_SIGNUP: 'open' }, 180_000, ['scripts/start.mjs']),
      launchChromium(),
    ]);
    mkdirSync(SHOTS, { recursive: true });

    const api = async (method: string, url: string, body?: unknown, token?: string) => {
      const response = await fetch(`${platform.url}/api/v1${url}`, {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    };
    const signup = await api('POST', '/auth/signup', ADMIN);
    expect(signup.status).toBe(201);
    const token = signup.body.token as string;
    const invitation = await api(
      'POST',
      '/invitations',
      { email: 'ivy@example.test', role: 'viewer', expiresInHours: 72 },
      token,
    );
    expect(invitation.status).toBe(201);
    fixture.invitePath = `/invite${new URL(invitation.body.url).hash}`;
    // the check objects API is new: no check to open while it is missing
    const checks = await api('GET', '/checks?limit=1', undefined, token);
    fixture.checkId = checks.status === 200 ? (checks.body?.items?.[0]?.id ?? null) : null;

    // one browser profile per theme (the system preference) and per signed-in state
    for (const theme of THEMES)
      for (const signedIn of [true, false]) {
        const context = await browser.newContext({ colorScheme: theme, viewport: WIDTHS[0] });
        if (signedIn) {
          const page = await context.newPage();
          await signIn(page, platform.url, ADMIN.email, ADMIN.password);
          await page.close();
        }
        contexts.set(`${theme}/${signedIn}`, context);
      }
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  describe.each(THEMES)('in the %s theme', (theme) => {
    it.for(A11Y_PAGES)('$name has no WCAG 2.1 A/AA violations', { timeout: 90_000 }, async (route, ctx) => {
      const target = route.path(fixture);
      if (target === null) return ctx.skip(`${route.name}: nothing to open yet`);
      const page = await contexts.get(`${theme}/${route.signedIn}`)!.newPage();
      page.setDefaultTimeout(45_000); // a loaded CI machine: a page's first chunk can take a while
      const watch = watchProblems(page, `${route.name}/${theme}`);
      try {
        await page.goto(`${platform.url}${target}`);
        await route.ready(page);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);

        const violations: string[] = [];
        for (const size of WIDTHS) {
          await page.setViewportSize(size);
          await page.waitForTimeout(300); // layout and charts settle at the new width
          for (const v of await runAxe(page)) violations.push(`[${size.width}px] ${v}`);
          // WCAG 1.4.10 (reflow), which axe does not check: only wide tables may scroll sideways, not the page
          const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          if (pageWidth > size.width) violations.push(`[${size.width}px] reflow: the page is ${pageWidth}px wide`);
          await page.screenshot({
            path: path.join(SHOTS, `${route.name}-${theme}-${size.width}.png`),
            fullPage: true,
          });
        }
        expect(violations, violations.join('\n')).toEqual([]);
        expect(watch.problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });

  it(
    'switches the theme and the clock from the keyboard, remembers them, and paints the stored theme first',
    { timeout: 60_000 },
    async () => {
      const context = await browser.newContext({ colorScheme: 'dark', viewport: WIDTHS[0] });
      const page = await context.newPage();
      await page.goto(`${platform.url}/login`);
      await heading(page, 'Sign in');

      const toggle = page.getByRole('button', { name: 'Display settings' });
      await toggle.focus();
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      // focus starts on the current choice ("System"); the arrow keys move and choose
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await page.keyboard.press('Tab'); // to the clock group
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => localStorage.getItem('nop.clock'))).toBe('24h');
      await page.screenshot({ path: path.join(SHOTS, 'display-settings-light-1440.png') });
      await page.keyboard.press('Escape');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);

      // a reload keeps the choice, and the page has it before its first paint: no dark flash
      await page.addInitScript(() => {
        const w = window as unknown as { themeSetAt?: number };
        // on the document: <html> does not exist yet when this runs
        new MutationObserver(() => (w.themeSetAt ??= performance.now())).observe(document, {
          subtree: true,
          attributeFilter: ['data-theme'],
        });
      });
      await page.reload();
      await heading(page, 'Sign in');
      const timing = await page.evaluate(() => ({
        theme: document.documentElement.dataset.theme,
        setAt: (window as unknown as { themeSetAt?: number }).themeSetAt,
        firstPaint: performance.getEntriesByName('first-paint')[0]?.startTime,
      }));
      expect(timing.theme).toBe('light');
      expect(timing.setAt).toBeDefined();
      expect(timing.firstPaint === undefined || timing.setAt! <= timing.firstPaint).toBe(true);
      await context.close();
    },
  );

  it(
    'opens a dialog from the keyboard, keeps focus inside it, and closes it on Esc back to its button',
    { timeout: 60_000 },
    async () => {
      const page = await contexts.get('dark/true')!.newPage();
      await page.goto(`${platform.url}/users`);
      await A11Y_PAGES.find((p) => p.name === 'users')!.ready(page);
      const opener = page.getByRole('button', { name: 'Invite user' });
      await opener.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Invite someone' });
      await dialog.waitFor();
      expect(await runAxe(page)).toEqual([]);
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        // past the last control focus may rest on the browser's own UI, never on the page behind
        expect(
          await page.evaluate(
            () => !document.activeElement?.closest('main') || !!document.activeElement.closest('dialog'),
          ),
        ).toBe(true);
      }
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.close();
    },
  );

  it(
    'reaches every control of a signed-in page by Tab, skip link first, each with a visible focus',
    { timeout: 60_000 },
    async () => {
      const page = await contexts.get('light/true')!.newPage();
      await page.goto(`${platform.url}/users`);
      await A11Y_PAGES.find((p) => p.name === 'users')!.ready(page);
      const stops: Array<{ name: string; visible: boolean }> = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const stop = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          const style = getComputedStyle(el);
          const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
          const shadow = style.boxShadow !== 'none';
          return {
            name: (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim().slice(0, 40),
            visible: ring || shadow,
          };
        });
        if (!stop) break;
        stops.push(stop);
      }
      expect(stops[0]?.name).toBe('Skip to content');
      expect(stops.map((s) => s.name)).toEqual(expect.arrayContaining(['Display settings', 'Log out', 'Invite user']));
      expect(stops.filter((s) => !s.visible)).toEqual([]);
      await page.close();
    },
  );
});
