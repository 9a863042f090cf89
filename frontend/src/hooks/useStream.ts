import type { Agent, StreamMessage, StreamedResult } from '@nop/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { API_BASE } from '../api/config.ts';
import { fetchMe } from '../api/auth.ts';
import { applyAgentUpdates, touchAgents, type AgentUpdate } from '../lib/agentUpdates.ts';
import { credentials } from '../lib/session.ts';
import { noticeForStreamClose } from '../lib/signOutNotice.ts';
import { StreamClient } from '../lib/socket.ts';
import { socketUrl } from '../lib/url.ts';
import { useLive } from '../store/live.ts';
import { AGENTS_KEY } from './useAgents.ts';
import { CHECKS_KEY } from './useChecks.ts';

/** Frames are applied in batches this often: one render per batch, not one per result. */
const FLUSH_MS = 250;

/**
 * Runs the live stream while signed in: results go to the live store, agent status frames patch
 * the cached agent list. After a drop it refetches what may have been missed.
 */
export function useStream(token: string | null): void {
  const qc = useQueryClient();

  useEffect(() => {
    if (!token) return;
    const live = useLive.getState();
    let results: StreamedResult[] = [];
    let agents: AgentUpdate[] = [];
    let checksChanged = false;
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let droppedAfterOpen = false;

    const flush = () => {
      flushTimer = null;
      const updates = agents;
      const heard = new Set(results.map((r) => r.agentId));
      if (results.length) live.addResults(results, Date.now());
      if (updates.length || heard.size) {
        const now = new Date().toISOString();
        qc.setQueryData<Agent[]>(AGENTS_KEY, (list) =>
          list ? touchAgents(applyAgentUpdates(list, updates), heard, now) : list,
        );
      }
      // a check was created, changed or deleted (here or by someone else): its list and page refetch
      if (checksChanged) {
        checksChanged = false;
        void qc.invalidateQueries({ queryKey: CHECKS_KEY });
        void qc.invalidateQueries({ queryKey: ['check'] });
      }
      results = [];
      agents = [];
    };

    const onMessage = (message: StreamMessage) => {
      if (message.type === 'results') results.push(...message.results);
      else if (message.type === 'agent') agents.push(message.agent);
      else if (message.type === 'check') checksChanged = true;
      else return;
      flushTimer ??= setTimeout(flush, FLUSH_MS);
    };

    const client = new StreamClient({
      url: socketUrl(API_BASE, window.location),
      token,
      onMessage,
      onState: (state, info) => {
        live.setConnection(state, info.retryInMs === undefined ? null : Date.now() + info.retryInMs);
        if (state === 'reconnecting' && info.retryInMs !== undefined) {
          droppedAfterOpen ||= Boolean(info.opened);
          // A refused handshake looks like any other drop in the browser (code 1006); asking
          // /auth/me tells an expired token (401 -> the client signs out) from a backend restart.
          fetchMe().catch(() => {});
        }
        if (state === 'live' && droppedAfterOpen) {
          droppedAfterOpen = false;
          live.resetSeries();
          void qc.invalidateQueries({ queryKey: AGENTS_KEY });
          void qc.invalidateQueries({ queryKey: ['history'] });
        }
      },
      // The server ends the socket (1008) when the session is revoked or expires: sign out, saying why.
      onAuthRejected: (reason) => credentials.reject(token, noticeForStreamClose(reason)),
    });
    // Started a tick later: React's StrictMode mounts twice in dev, and a socket opened and closed
    // at once only produces a console warning and a wasted handshake on the backend.
    const startTimer = setTimeout(() => client.start(), 0);

    const onOnline = () => client.reconnectNow();
    window.addEventListener('online', onOnline);
    return () => {
      clearTimeout(startTimer);
      window.removeEventListener('online', onOnline);
      client.stop();
      if (flushTimer) clearTimeout(flushTimer);
      live.setConnection('idle');
    };
  }, [token, qc]);
}
