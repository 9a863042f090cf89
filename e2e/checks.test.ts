import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_BIN } from '../agents/src/bin-path.ts';
import { startDnsServer, type TestDnsServer } from '../agents/test/dns-server.ts';
import { REPO_ROOT, startBackend, type BackendProcess } from '../backend/test/helpers/process.ts';
import { logFile, teeTo } from '../backend/test/helpers/test-logs.ts';
import { signIn, watchProblems, launchChromium } from './browser.ts';

const SHOTS = path.join(REPO_ROOT, 'test-results');
const ADMIN = { name: 'Ada Operator', email: 'ada@example.test', password: 'correct horse battery' };
const CHECK_ID = 'e2e-ping';

// A check written once and run by two agents chosen by label: the platform as `npm start` runs it
// (with its managed agent "local"), a second real nop-agent process on loopback, and Chromium
// creating an ICMP check in the editor, watching both agents' results arrive on its page and
// exporting them.
describe('check objects in a real browser', () => {
  let platform: BackendProcess;
  let browser: Browser;
  let agent: ChildProcess | undefined;
  let token: string;
  let dnsServer: TestDnsServer | undefined;
  const spool = mkdtempSync(path.join(os.tmpdir(), 'nop-e2e-agent-'));

  const api = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${platform.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startBackend({}, 180_000, ['scripts/start.mjs']), launchChromium()]);
    mkdirSync(SHOTS, { recursive: true });
    const signup = await fetch(`${platform.url}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(signup.status).toBe(201);
    token = (await signup.json()).token;
  }, 200_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent!.once('exit', resolve));
      agent.kill('SIGINT');
      await exited;
    }
    await browser?.close();
    await platform?.stop();
    await dnsServer?.close();
    rmSync(spool, { recursive: true, force: true });
  });

  it('creates an ICMP check by selector, shows both agents live and exports their results', async () => {
    // a second agent, a real process on loopback with the token the API handed out once
    const created = await api('POST', '/api/v1/agents', { name: 'edge-2', type: 'multi' });
    agent = spawn(process.execPath, [AGENT_BIN], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NOP_BACKEND_URL: platform.url,
        NOP_AGENT_TOKEN: created.token,
        NOP_AGENT_LISTEN: '127.0.0.1:0',
        NOP_AGENT_SPOOL_DIR: spool,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tee = teeTo(logFile('e2e-agent'));
    agent.stdout!.on('data', tee);
    agent.stderr!.on('data', tee);

    const agentsNow = async () =>
      (await api('GET', '/api/v1/agents')).items as Array<{ id: string; name: string; status: string }>;
    await expect
      .poll(
        async () =>
          (await agentsNow())
            .filter((a) => a.status === 'online')
            .map((a) => a.name)
            .sort(),
        {
          timeout: 30_000,
        },
      )
      .toEqual(['edge-2', 'local']);
    // both agents get the label the check's selector will name
    for (const a of await agentsNow()) await api('PATCH', `/api/v1/agents/${a.id}`, { labels: { region: 'test' } });

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = watchProblems(page, 'admin');
    const heard = new Set<string>();
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const frame = JSON.parse(String(payload));
        if (frame.type !== 'results') return;
        for (const result of frame.results) if (result.checkId === CHECK_ID) heard.add(result.agentName);
      }),
    );
    await signIn(page, platform.url, ADMIN.email, ADMIN.password);

    // the editor: ICMP is the first type; 1 s interval brings the untouched timeout down with it
    await page.goto(`${platform.url}/checks/new`);
    await page.getByLabel('Target').fill('127.0.0.1');
    await page.getByLabel('Id', { exact: true }).fill(CHECK_ID);
    await page.getByLabel('Interval', { exact: true }).fill('1s');
    expect(await page.getByLabel('Timeout', { exact: true }).inputValue()).toBe('500ms');
    await page.getByLabel('Label selector').fill('region=test');
    const preview = page.getByTestId('assignment-preview');
    await expect
      .poll(() => preview.getByRole('listitem').allTextContents(), { timeout: 15_000 })
      .toEqual(['edge-2· labels', 'local· labels']);
    await shoot(page, 'check-editor');
    await page.getByRole('button', { name: 'Create check' }).click();
    await page.waitForURL((url) => url.pathname === `/checks/${CHECK_ID}`);

    // the page: both agents run it, their results arrive live, and each has its smoke chart
    const runners = page.getByRole('list', { name: 'Agents running the check' });
    await expect.poll(() => runners.getByRole('listitem').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => [...heard].sort(), { timeout: 20_000 }).toEqual(['edge-2', 'local']);
    for (const name of ['local', 'edge-2'])
      await expect.poll(() => page.locator(`[data-smoke="${name}"] canvas`).count(), { timeout: 10_000 }).toBe(1);
    // hovering the newest part of the latency chart reads a value for each agent
    const latency = page.getByRole('img', { name: 'latency per agent' });
    await expect
      .poll(
        async () => {
          const box = (await latency.boundingBox())!;
          await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
          const legend = (await latency.locator('xpath=..').textContent()) ?? '';
          return ['local', 'edge-2'].every((name) => new RegExp(`${name}\\s*[\\d.]+ ms`).test(legend));
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(true);
    // a drag across the chart's newest tenth zooms there: a fixed range in the URL, on every chart
    await page.waitForTimeout(4000);
    const box = (await latency.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL((url) => url.searchParams.has('from') && url.searchParams.has('to'));
    await expect.poll(() => page.getByTestId('range-label').textContent(), { timeout: 10_000 }).not.toMatch(/Live/);
    // the results of the zoomed range: both agents' rows
    const table = page.getByRole('table', { name: 'Results' });
    // generous: beside the other e2e files (2,000 checks being created) the page's queries queue
    await expect.poll(() => table.getByText('edge-2').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => table.getByText('local').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, 'check-page');

    // Export CSV: fetched with the session's token (the API takes it as a header only), then saved
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const [header, ...rows] = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(header!.slice(0, 4)).toEqual(['time', 'agent_id', 'agent_name', 'check_id']);
    expect(rows.length).toBeGreaterThanOrEqual(2); // the zoomed range can be short on a loaded machine
    expect(rows.every((cells) => cells[3] === CHECK_ID)).toBe(true);
    expect(new Set(rows.map((cells) => cells[2]))).toEqual(new Set(['local', 'edge-2']));

    // a phone: the same page stacked in one column
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot(page, 'check-page-390');
    await page.goto(`${platform.url}/checks/${CHECK_ID}/edit`);
    await page.getByLabel('Target').waitFor();
    await shoot(page, 'check-editor-390');
    expect(watch.problems).toEqual([]);
  }, 180_000);

  it("shows a DNS check's answer records, grouped by what each agent was answered", async () => {
    // a DNS server on loopback with a known zone; both agents (labelled by the test above) ask it
    dnsServer = await startDnsServer('127.0.0.1');
    await api('POST', '/api/v1/checks', {
      id: 'e2e-dns',
      type: 'dns',
      target: 'web.nop.test',
      server: `127.0.0.1:${dnsServer.port}`,
      interval: '2s',
      selector: 'region=test',
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const watch = watchProblems(page, 'admin');
    await signIn(page, platform.url, ADMIN.email, ADMIN.password);
    await page.goto(`${platform.url}/checks/e2e-dns`);
    const latest = page.getByRole('table', { name: 'Latest DNS answers' });
    await expect.poll(() => latest.getByText('192.0.2.10, 192.0.2.11').count(), { timeout: 20_000 }).toBe(2);
    // one answer, seen by both: one group naming both agents, its records as dig prints them
    const records = page.getByRole('table', { name: 'Answer records seen by edge-2, local' });
    await expect.poll(() => records.getByRole('row').count(), { timeout: 10_000 }).toBe(3);
    expect(await records.getByRole('row').nth(1).innerText()).toMatch(/web\.nop\.test\s+\d+\s+A\s+192\.0\.2\.10/);
    await page.getByRole('heading', { name: 'Latest answers' }).scrollIntoViewIfNeeded();
    await shoot(page, 'check-page-dns');
    expect(watch.problems).toEqual([]);
  }, 90_000);
});

const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/** RFC 4180 rows: quoted cells may hold commas, doubled quotes and line breaks (the metrics JSON does). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
