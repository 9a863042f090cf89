import type { Check } from '@nop/protocol';
import { useEffect, useMemo, useRef } from 'react';
import { ApiError, errorMessage } from '../api/problem.ts';
import { AgentLinesChart, type ChartWindow } from '../components/check/AgentLinesChart.tsx';
import { CertExpiry } from '../components/check/CertExpiry.tsx';
import { ChartSection } from '../components/check/ChartSection.tsx';
import { CheckActions } from '../components/check/CheckActions.tsx';
import { CheckHeader } from '../components/check/CheckHeader.tsx';
import { DnsLatest } from '../components/check/DnsLatest.tsx';
import { HttpPhases } from '../components/check/HttpPhases.tsx';
import { InterfaceCharts } from '../components/check/InterfaceCharts.tsx';
import { RangePicker } from '../components/check/RangePicker.tsx';
import { ResultsPanel } from '../components/check/ResultsPanel.tsx';
import { SmokeCharts } from '../components/check/SmokeCharts.tsx';
import { StateTimeline } from '../components/check/StateTimeline.tsx';
import { SummaryTable } from '../components/check/SummaryTable.tsx';
import { TraceroutePanel } from '../components/check/TraceroutePanel.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { Link } from '../components/Link.tsx';
import { Alert } from '../components/ui/Alert.tsx';
import { Loading } from '../components/ui/Loading.tsx';
import { Panel } from '../components/ui/Panel.tsx';
import { useCheck } from '../hooks/useCheck.ts';
import { useCheckChartTheme } from '../hooks/useCheckChartTheme.ts';
import { useCheckLatest } from '../hooks/useCheckLatest.ts';
import { useCheckLiveResults } from '../hooks/useCheckLiveResults.ts';
import { useCheckMetrics, useCheckSummary } from '../hooks/useCheckMetrics.ts';
import { useCheckRange } from '../hooks/useCheckRange.ts';
import { useCheckResultsInRange } from '../hooks/useCheckResultsInRange.ts';
import { parseCheckPath } from '../lib/checkPaths.ts';
import { resolveRange, zoomRange } from '../lib/checkRange.ts';
import { useNow } from '../lib/clock.ts';
import { useDocumentTitle } from '../lib/documentTitle.ts';
import { axisMs } from '../lib/chartScale.ts';
import { headlineOf } from '../lib/headline.ts';
import type { Bucket } from '../lib/historyBuckets.ts';
import { usePathname } from '../lib/router.ts';
import { samplesFromBuckets, samplesFromResults, stateTimeline } from '../lib/stateTimeline.ts';

/** Up to this many results in the range, the timeline is drawn from each run; beyond, from buckets. */
const TIMELINE_MAX_RESULTS = 3000;

const avg = (b: Bucket) => b.avg;
/** Loss ticks: small shares matter, so two decimals where needed ("0.25%"), none on round ones. */
const axisLoss = (value: number) => `${+value.toFixed(2)}%`;
const lossPct = (b: Bucket) => (b.loss === null ? null : b.loss * 100);
const jitter = (b: Bucket) => b.jitter;

/** /checks/:id — one check over a time range: who runs it, how it does, and its results. */
export function CheckPage() {
  const route = parseCheckPath(usePathname());
  const id = route && route.view !== 'new' ? route.id : '';
  const check = useCheck(id);
  useDocumentTitle(id || 'Check');

  if (check.data) return <CheckView check={check.data} />;
  if (check.isPending) return <Loading className="py-16">Loading check…</Loading>;
  const missing = check.error instanceof ApiError && check.error.status === 404;
  return (
    <EmptyState
      title={missing ? `There is no check “${id}”.` : 'The check could not be loaded.'}
      action={
        <Link href="/" className="text-sm font-medium text-accent hover:underline">
          Back to the overview
        </Link>
      }
    >
      {missing ? 'It may have been deleted, or the link is mistyped.' : errorMessage(check.error)}
    </EmptyState>
  );
}

function CheckView({ check }: { check: Check }) {
  const [range, setRange] = useCheckRange();
  // a live window slides every few seconds; a fixed one never moves
  const now = useNow(range.kind === 'preset' ? 5000 : 3_600_000);
  const window = resolveRange(range, now);
  const live = useCheckLiveResults(check.id, window.fromMs, window.live);

  const agentsByName = useMemo(
    () => [...check.agents].sort((a, b) => a.name.localeCompare(b.name)).map((a) => ({ id: a.id, name: a.name })),
    [check.agents],
  );
  const theme = useCheckChartTheme(agentsByName.map((a) => a.id));
  const headline = headlineOf(check.type);
  const main = useCheckMetrics(check.id, headline.metric, range, live);
  const summary = useCheckSummary(check.id, range);
  const latest = useCheckLatest(check.id, live);
  // an agent heard live but missing from the summary (it started after the fetch): ask again, once
  // per such set of agents, so a summary that still lacks it cannot loop
  const summarised = new Set(summary.data?.items.map((i) => i.agentId));
  const missing = summary.data ? [...new Set(live.map((r) => r.agentId))].filter((a) => !summarised.has(a)) : [];
  const missingKey = missing.sort().join(',');
  const askedFor = useRef('');
  const refetchSummary = summary.refetch;
  useEffect(() => {
    if (!missingKey || askedFor.current === missingKey) return;
    askedFor.current = missingKey;
    void refetchSummary();
  }, [missingKey, refetchSummary]);
  const count = summary.data?.items.reduce((sum, item) => sum + item.count, 0);
  const inRange = useCheckResultsInRange(
    check.id,
    range,
    count,
    check.type === 'traceroute' ? 500 : TIMELINE_MAX_RESULTS,
  );

  // agents that ran the check in the range but no longer do still have history: list them too
  const agents = useMemo(() => {
    const known = new Map(agentsByName.map((a) => [a.id, a.name]));
    for (const s of main.series) if (!known.has(s.agentId)) known.set(s.agentId, s.agentName);
    return [...known].map(([id, name]) => ({ id, name }));
  }, [agentsByName, main.series]);

  const chartWindow: ChartWindow = {
    fromS: window.fromMs / 1000,
    toS: window.toMs / 1000,
    onZoom: (fromS, toS) => {
      const zoomed = zoomRange(fromS, toS);
      if (zoomed) setRange(zoomed);
    },
  };

  const timelines = useMemo(() => {
    if (inRange.results) {
      const ids = new Set(inRange.results.map((r) => r.id));
      const all = [...inRange.results, ...live.filter((r) => !ids.has(r.id))];
      return stateTimeline(samplesFromResults(all, check.interval), window);
    }
    return stateTimeline(samplesFromBuckets(main.series, main.stepMs ?? window.stepMs), window);
    // window moves every few seconds; its ends are what matter
  }, [inRange.results, live, main.series, main.stepMs, check.interval, window.fromMs, window.toMs, window.stepMs]);

  const noData = main.series.length === 0 ? 'No results in this range yet.' : false;
  const isHttps = check.type === 'http' && check.target.startsWith('https:');
  const hasTls = isHttps || (check.type === 'tcp' && check.tls);

  return (
    <div className="space-y-5">
      <CheckHeader check={check} theme={theme} actions={<CheckActions check={check} />} />
      <RangePicker range={range} onChange={setRange} />

      <Panel title="Uptime per agent" summary={summary.data ? 'over the range' : undefined}>
        {summary.isPending ? (
          <Loading className="py-8">Loading…</Loading>
        ) : summary.error ? (
          <div className="p-4">
            <Alert>Couldn't load the summary: {errorMessage(summary.error)}</Alert>
          </div>
        ) : (
          <SummaryTable items={summary.data?.items ?? []} theme={theme} />
        )}
      </Panel>

      <ChartSection
        title={headline.label === 'latency' ? 'Latency' : 'Received'}
        summary={headline.label === 'latency' ? 'average per bucket, milliseconds' : 'bits per second'}
        loading={main.loading}
        error={main.error}
        empty={noData}
      >
        <AgentLinesChart
          series={main.series}
          pick={avg}
          yFormat={headline.label === 'latency' ? axisMs : (v) => `${headline.axis(v)}bit/s`}
          theme={theme}
          window={chartWindow}
          label={`${headline.label} per agent`}
          height={220}
        />
      </ChartSection>

      {check.type === 'icmp' && (
        <>
          <ChartSection
            title="Smoke"
            summary="round-trip spread and loss, per agent"
            loading={main.loading}
            empty={noData}
          >
            <SmokeCharts series={main.series} theme={theme} window={chartWindow} />
          </ChartSection>
          <div className="grid gap-5 lg:grid-cols-2">
            <ChartSection title="Packet loss" summary="percent of echoes" loading={main.loading} empty={noData}>
              <AgentLinesChart
                series={main.series}
                pick={lossPct}
                yFormat={axisLoss}
                theme={theme}
                window={chartWindow}
                label="Packet loss per agent, percent"
              />
            </ChartSection>
            <ChartSection title="Jitter" summary="milliseconds" loading={main.loading} empty={noData}>
              <AgentLinesChart
                series={main.series}
                pick={jitter}
                yFormat={axisMs}
                theme={theme}
                window={chartWindow}
                label="Jitter per agent, milliseconds"
              />
            </ChartSection>
          </div>
        </>
      )}

      {check.type === 'http' && (
        <ChartSection title="HTTP phases" summary="average per bucket, stacked, milliseconds">
          <HttpPhases checkId={check.id} range={range} live={live} theme={theme} window={chartWindow} />
        </ChartSection>
      )}

      {hasTls && (
        <Panel title="TLS certificate" summary="days left, as each agent last saw it">
          <div className="p-4">
            <CertExpiry latest={latest} nowMs={now} />
          </div>
        </Panel>
      )}

      {check.type === 'dns' && (
        <Panel title="Latest answers">
          <DnsLatest latest={latest} />
        </Panel>
      )}

      {check.type === 'traceroute' && (
        <Panel title="Traceroute" summary="latest trace and route changes">
          <div className="pt-3">
            <TraceroutePanel latest={latest} results={inRange.results} />
          </div>
        </Panel>
      )}

      {check.type === 'interface' && (
        <InterfaceCharts checkId={check.id} range={range} live={live} theme={theme} window={chartWindow} />
      )}

      <Panel title="State timeline" summary="ok → failed → ok, per agent">
        <StateTimeline
          agents={agents}
          timelines={timelines}
          fromMs={window.fromMs}
          toMs={window.toMs}
          theme={theme}
          source={
            inRange.results
              ? 'From every run in the range.'
              : `From ${Math.round((main.stepMs ?? window.stepMs) / 1000)}-second buckets: too many runs in this range to show each.`
          }
        />
      </Panel>

      <ResultsPanel checkId={check.id} range={range} agents={agents} />
    </div>
  );
}
