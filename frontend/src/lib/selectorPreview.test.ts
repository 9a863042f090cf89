import { describe, expect, it } from 'vitest';
import { selectorPreview, type PreviewAgent } from './selectorPreview.ts';

const agent = (name: string, over: Partial<PreviewAgent> = {}): PreviewAgent => ({
  id: name,
  name,
  status: 'online',
  type: 'multi',
  ownerId: 'me',
  labels: {},
  ...over,
});

const agents = [
  agent('eu-1', { labels: { region: 'eu', role: 'edge' } }),
  agent('eu-2', { labels: { region: 'eu' } }),
  agent('us-1', { labels: { region: 'us' } }),
  agent('pinger', { type: 'ping', labels: { region: 'eu' } }),
  agent('theirs', { ownerId: 'other', labels: { region: 'eu' } }),
];

describe('selectorPreview', () => {
  it('lists agents matched by labels and by id, and says how', () => {
    const preview = selectorPreview({
      selector: 'region=eu',
      agentIds: ['us-1', 'eu-1'],
      checkType: 'http',
      agents,
      ownerScope: null,
    });
    expect(preview.required).toEqual({ region: 'eu' });
    expect(preview.runs.map((r) => `${r.agent.name}:${r.via}`)).toEqual([
      'eu-1:both',
      'eu-2:selector',
      'theirs:selector',
      'us-1:id',
    ]);
    expect(preview.skipped.map((s) => s.agent.name)).toEqual(['pinger']);
    expect(preview.error).toBeUndefined();
  });

  it('requires every term, and matches nothing by labels when empty', () => {
    const both = selectorPreview({
      selector: 'region=eu, role=edge',
      agentIds: [],
      checkType: 'icmp',
      agents,
      ownerScope: null,
    });
    expect(both.runs.map((r) => r.agent.name)).toEqual(['eu-1']);
    expect(selectorPreview({ selector: '', agentIds: [], checkType: 'icmp', agents, ownerScope: null }).runs).toEqual(
      [],
    );
  });

  it('keeps an editor’s selector to their own agents and lets single-family agents run their family', () => {
    const preview = selectorPreview({
      selector: 'region=eu',
      agentIds: [],
      checkType: 'icmp',
      agents,
      ownerScope: 'me',
    });
    expect(preview.runs.map((r) => r.agent.name)).toEqual(['eu-1', 'eu-2', 'pinger']);
    expect(preview.skipped).toEqual([{ agent: agents[4], reason: expect.stringMatching(/own agents/) }]);
  });

  it('says why a selector cannot be read', () => {
    const preview = selectorPreview({
      selector: 'region',
      agentIds: ['eu-2'],
      checkType: 'icmp',
      agents,
      ownerScope: null,
    });
    expect(preview.error).toMatch(/region=eu/);
    expect(preview.runs.map((r) => r.agent.name)).toEqual(['eu-2']);
  });
});
