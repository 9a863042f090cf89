import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './helpers/databases.ts';
import { createTestApp, signup, type TestApp } from './helpers/app.ts';
import { closed, connect, countResults, inbox, resultIn } from './helpers/ws.ts';

const register = { type: 'register', agentVersion: '0.1.0', hostname: 'test-host', configVersion: 0 };
const result = (checkId = 'ping') => ({
  id: randomUUID(),
  checkId,
  type: 'icmp',
  target: '127.0.0.1',
  time: new Date().toISOString(),
  success: true,
  durationMs: 0.05,
  metrics: { rtt_min_ms: 0.04, loss_ratio: 0 },
});

describe.each(ENGINES)('WebSocket stream and agent link on %s', (engine) => {
  let t: TestApp;
  let base: string;
  let user: Awaited<ReturnType<typeof signup>>;

  beforeAll(async () => {
    t = await createTestApp(engine);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    user = await signup(t.app);
  });
  afterAll(() => t?.close());

  async function newAgent(checks: object[] = [{ id: 'ping', type: 'icmp', target: '127.0.0.1' }]) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: user.headers,
      payload: { name: `ws-${randomUUID().slice(0, 8)}`, type: 'multi', config: { checks } },
    });
    return r.json() as { agent: { id: string; name: string }; token: string };
  }
  const linkAs = (token: string) =>
    connect(`${base}/api/v1/agents/link`, { headers: { authorization: `Bearer ${token}` } });

  it('refuses the stream without a token, with a bad token, or with a bad subprotocol token (401)', async () => {
    await expect(connect(`${base}/ws/stream`)).rejects.toMatchObject({ status: 401 });
    await expect(connect(`${base}/ws/stream`, { headers: { authorization: 'Bearer nope' } })).rejects.toMatchObject({
      status: 401,
    });
    await expect(connect(`${base}/ws/stream`, { protocols: ['nop.v1', 'nop.jwt.nope'] })).rejects.toMatchObject({
      status: 401,
    });
  });

  it('accepts the JWT as a header or as the browser subprotocol, answering nop.v1 and never echoing the token', async () => {
    const viaHeader = await connect(`${base}/ws/stream`, { headers: user.headers });
    expect(await inbox(viaHeader).next((m) => m.type === 'hello')).toMatchObject({ user: expect.any(String) });
    const viaProtocol = await connect(`${base}/ws/stream`, { protocols: ['nop.v1', `nop.jwt.${user.token}`] });
    expect(viaProtocol.protocol).toBe('nop.v1');
    await inbox(viaProtocol).next((m) => m.type === 'hello');
    viaHeader.close();
    viaProtocol.close();
  });

  it('refuses agent links without a valid agent token (401)', async () => {
    await expect(connect(`${base}/api/v1/agents/link`)).rejects.toMatchObject({ status: 401 });
    await expect(linkAs('nop_agt_wrong')).rejects.toMatchObject({ status: 401 });
    // a user's JWT is not an agent token
    await expect(linkAs(user.token)).rejects.toMatchObject({ status: 401 });
  });

  it('links an agent: config and start on register, results acked after commit and streamed once', async () => {
    const { agent, token } = await newAgent();
    const stream = await connect(`${base}/ws/stream`, { headers: user.headers });
    const browser = inbox(stream);
    await browser.next((m) => m.type === 'hello');

    const link = await linkAs(token);
    const fromBackend = inbox(link);
    link.send(JSON.stringify(register));
    const config = await fromBackend.next((m) => m.type === 'config');
    expect(config.config).toMatchObject({ version: 1, checks: [{ id: 'ping', type: 'icmp' }] });
    expect(await fromBackend.next((m) => m.type === 'command')).toEqual({ type: 'command', command: 'start' });
    await browser.next((m) => m.type === 'agent' && m.agent.id === agent.id && m.agent.status === 'online');

    const batch = { type: 'results', batchId: randomUUID(), results: [result(), result()] };
    link.send(JSON.stringify(batch));
    expect(await fromBackend.next((m) => m.type === 'ack')).toEqual({
      type: 'ack',
      batchId: batch.batchId,
      inserted: 2,
    });
    const isSecond = (r: any) => r.id === batch.results[1]!.id;
    const streamed = resultIn(await browser.next((m) => resultIn(m, isSecond)), isSecond);
    expect(streamed).toMatchObject({
      agentId: agent.id,
      agentName: agent.name,
      checkId: 'ping',
      durationMs: 0.05,
    });

    // re-sent after a lost ack: acked again, stored and streamed once
    link.send(JSON.stringify(batch));
    await fromBackend.next((m) => m.type === 'ack' && m.inserted === 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(countResults(browser.messages, (r) => r.id === batch.results[0]!.id)).toBe(1);

    const got = await t.app.inject({ url: `/api/v1/agents/${agent.id}`, headers: user.headers });
    expect(got.json()).toMatchObject({ status: 'online', lastSeen: expect.any(String) });
    link.close();
    stream.close();
  });

  it('answers malformed or invalid agent messages with an error and stores nothing', async () => {
    const { agent, token } = await newAgent();
    const link = await linkAs(token);
    const fromBackend = inbox(link);
    link.send(JSON.stringify(register));
    await fromBackend.next((m) => m.type === 'command');
    link.send('{not json');
    expect((await fromBackend.next((m) => m.type === 'error')).message).toBe('malformed JSON');
    link.send(
      JSON.stringify({ type: 'results', batchId: randomUUID(), results: [{ ...result(), durationMs: 'fast' }] }),
    );
    const error = await fromBackend.next((m) => m.type === 'error' && m.message.startsWith('invalid'));
    expect(error.message).toContain('results.0.durationMs');
    const { rows } = await t.db.query('SELECT 1 FROM check_results WHERE agent_id = $1', [agent.id]);
    expect(rows).toHaveLength(0);
    link.close();
  });

  it('delivers stop/start/restart and config changes to the connected agent within 2 s', async () => {
    const { agent, token } = await newAgent();
    const link = await linkAs(token);
    const fromBackend = inbox(link);
    link.send(JSON.stringify(register));
    await fromBackend.next((m) => m.type === 'command' && m.command === 'start');

    for (const action of ['stop', 'start', 'restart'] as const) {
      const sent = Date.now();
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/agents/${agent.id}/actions`,
        headers: user.headers,
        payload: { action },
      });
      expect(r.statusCode).toBe(202);
      await fromBackend.next((m) => m.type === 'command' && m.command === action && Date.now() - sent < 2000, 2000);
    }
    link.send(JSON.stringify({ type: 'state', state: 'stopped' }));
    await new Promise((r) => setTimeout(r, 100));
    expect((await t.app.inject({ url: `/api/v1/agents/${agent.id}`, headers: user.headers })).json().status).toBe(
      'stopped',
    );

    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: user.headers,
      payload: { config: { checks: [{ id: 'tcp', type: 'tcp', target: '127.0.0.1:1' }] } },
    });
    const config = await fromBackend.next((m) => m.type === 'config' && m.config.version === 2, 2000);
    expect(config.config.checks).toMatchObject([{ id: 'tcp', type: 'tcp' }]);
    link.close();
  });

  it('marks an agent offline when its link closes, and closes the link when the agent is deleted', async () => {
    const first = await newAgent();
    const link = await linkAs(first.token);
    const messages = inbox(link);
    link.send(JSON.stringify(register));
    await messages.next((m) => m.type === 'command');
    link.close();
    await closed(link);
    await expect
      .poll(
        async () =>
          (await t.app.inject({ url: `/api/v1/agents/${first.agent.id}`, headers: user.headers })).json().status,
      )
      .toBe('offline');

    const second = await newAgent();
    const link2 = await linkAs(second.token);
    const messages2 = inbox(link2);
    link2.send(JSON.stringify(register));
    await messages2.next((m) => m.type === 'command');
    const closing = closed(link2);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/agents/${second.agent.id}`, headers: user.headers });
    expect(await closing).toMatchObject({ code: 1008, reason: 'agent deleted' });
    await expect(linkAs(second.token)).rejects.toMatchObject({ status: 401 });
  });

  it('stores a result whose text holds NUL or a lone surrogate (scrubbed to U+FFFD) instead of failing the batch', async () => {
    const { agent, token } = await newAgent();
    const link = await linkAs(token);
    const fromBackend = inbox(link);
    link.send(JSON.stringify(register));
    await fromBackend.next((m) => m.type === 'config');
    const odd = { ...result(), success: false, error: 'server said \u0000\ud800 then hung up' };
    const batch = { type: 'results', batchId: randomUUID(), results: [odd] };
    link.send(JSON.stringify(batch));
    expect(await fromBackend.next((m) => m.type === 'ack' && m.batchId === batch.batchId)).toMatchObject({
      inserted: 1,
    });
    const { rows } = await t.db.query<{ error: string }>('SELECT error FROM check_results WHERE id = $1', [odd.id]);
    expect(rows[0]!.error).toBe('server said \uFFFD\uFFFD then hung up');
    link.close();
    void agent;
  });
});
