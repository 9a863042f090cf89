import { AgentStatus, AgentType, CheckType, PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT, SECRET_MASK } from '@nop/protocol';

// Enums are spelled from the protocol's own lists, so a new check type or status reaches the
// schema (and the stale-schema test) without anyone copying it by hand.
const values = (options: readonly string[]) => options.join('\n  ');
const PAGE = `"items per page (default ${PAGE_DEFAULT_LIMIT}, at most ${PAGE_MAX_LIMIT})" limit: Int, "nextCursor of the previous page" cursor: String`;
const TIME = 'ISO-8601 or epoch seconds (1970 to 9999)';

/**
 * The GraphQL schema (SDL). Read-only over the same services as REST: each field answers what its
 * REST route answers, and takes the same inputs (filter arguments are strings checked by the REST
 * route's own zod schema, so both accept exactly the same values). `npm run graphql-schema`
 * writes it to docs/schema.graphql.
 */
export const typeDefs = /* GraphQL */ `
"Any JSON value: settings and objects whose shape depends on a check's type."
scalar JSON

enum AgentType {
  ${values(AgentType.options)}
}

enum AgentStatus {
  ${values(AgentStatus.options)}
}

enum CheckType {
  ${values(CheckType.options)}
}

"How a check reaches an agent: assigned by id, chosen by its label selector, or both."
enum AssignedVia {
  id
  selector
  both
}

type Label {
  key: String!
  value: String!
}

"Where an agent runs."
type AgentLocation {
  name: String!
  latitude: Float
  longitude: Float
  "provider / ASN text"
  provider: String
}

"A process that runs checks and reports their results."
type Agent {
  id: ID!
  name: String!
  type: AgentType!
  ownerId: ID
  "the managed local agent of embedded mode"
  managed: Boolean!
  status: AgentStatus!
  "running or stopped"
  desiredState: String!
  lastSeen: String
  "the agent's clock minus the backend's when it last sent results, in milliseconds"
  clockSkewMs: Int
  createdAt: String!
  labels: [Label!]!
  location: AgentLocation
  "version of the compiled config, grows by one on every change"
  configVersion: Int!
  "the compiled config {version, checks} as REST answers it (write-only values as \\"${SECRET_MASK}\\")"
  config: JSON!
}

"An agent running a check now."
type CheckAgent {
  id: ID!
  name: String!
  status: AgentStatus!
  via: AssignedVia!
}

"A check, run by every agent it is assigned to (by id and/or by label selector)."
type Check {
  id: ID!
  type: CheckType!
  target: String!
  "milliseconds between runs"
  interval: Int!
  "milliseconds a run may take"
  timeout: Int!
  labels: [Label!]!
  enabled: Boolean!
  "agents assigned by id"
  agentIds: [ID!]!
  "label selector (region=eu,role=edge); empty = none"
  selector: String!
  "the agents running it now (one query per page, however many checks)"
  agents: [CheckAgent!]!
  ownerId: ID
  "grows by one on every change"
  version: Int!
  createdAt: String!
  updatedAt: String!
  "the settings of the check's type (count, method, headers, expectStatus, …); write-only values as \\"${SECRET_MASK}\\""
  settings: JSON!
}

"One run of one check, with the agent it came from."
type Result {
  id: ID!
  checkId: String!
  type: CheckType!
  target: String!
  "when the run started (ISO-8601)"
  time: String!
  success: Boolean!
  "the headline latency in milliseconds"
  durationMs: Float
  error: String
  "further numeric figures by name (rtt_min_ms, loss_ratio, status_code, …)"
  metrics: JSON!
  "traceroute runs: the hops of each flow"
  trace: JSON
  "dns runs: the resolver asked, its response code and the answer records ({server, rcode, answers: [{name, ttl, type, data}]})"
  dns: JSON
  agentId: ID!
  agentName: String!
}

type AgentPage {
  items: [Agent!]!
  nextCursor: String
}

type CheckPage {
  items: [Check!]!
  nextCursor: String
}

"Stored results, newest first."
type ResultPage {
  items: [Result!]!
  nextCursor: String
}

"A check in an agent's compiled config with its latest stored result (null: none yet)."
type LatestResult {
  agentId: ID!
  agentName: String!
  agentStatus: AgentStatus!
  checkId: String!
  type: CheckType!
  target: String!
  result: Result
}

type LatestResults {
  items: [LatestResult!]!
  "true when more pairs matched than one answer holds"
  truncated: Boolean!
}

"One step of a series; null = no value in the step."
type MetricPoint {
  "start of the step (ISO-8601)"
  t: String!
  avg: Float
  min: Float
  max: Float
  p10: Float
  p25: Float
  p50: Float
  p75: Float
  p90: Float
  p95: Float
  p99: Float
  count: Int!
  failures: Int!
  "mean metrics.loss_ratio (0..1) where runs report it"
  loss: Float
  "mean metrics.jitter_ms where runs report it"
  jitter: Float
  "share of successful runs (0..1)"
  uptime: Float!
}

"One series per (agent, check)."
type MetricSeries {
  agentId: ID!
  agentName: String!
  checkId: String!
  points: [MetricPoint!]!
}

type Metrics {
  metric: String!
  from: String!
  to: String!
  stepSeconds: Float!
  series: [MetricSeries!]!
}

"Latency (duration_ms) figures; null = no run had a duration."
type LatencySummary {
  p50: Float
  p95: Float
  p99: Float
  min: Float
  max: Float
  avg: Float
}

type MetricsSummaryItem {
  agentId: ID!
  agentName: String!
  checkId: String!
  count: Int!
  failures: Int!
  "successful runs in percent (0..100)"
  uptimePct: Float!
  latency: LatencySummary!
  loss: Float
  jitter: Float
  firstTime: String!
  lastTime: String!
}

type MetricsSummary {
  from: String!
  to: String!
  items: [MetricsSummaryItem!]!
  truncated: Boolean!
}

"Any signed-in user (viewer, editor, admin) may read all of it."
type Query {
  "agents by name (GET /api/v1/agents)"
  agents(${PAGE}): AgentPage
  "one agent; null when there is none with this id"
  agent(id: ID!): Agent
  "checks by id (GET /api/v1/checks)"
  checks(
    "icmp, http, tcp, dns, traceroute or interface"
    type: String
    "labels the checks carry: region=eu,role=edge"
    label: String
    "checks this agent runs now"
    agentId: ID
    "part of the id or target"
    q: String
    enabled: Boolean
    ${PAGE}
  ): CheckPage
  "one check; null when there is none with this id"
  check(id: ID!): Check
  "stored results, newest first (GET /api/v1/results); an unknown agentId or checkId is an error naming it"
  results(
    checkId: String
    agentId: ID
    "ok or failed"
    status: String
    "${TIME}: results at or after it"
    from: String
    "${TIME}: results before it"
    to: String
    ${PAGE}
  ): ResultPage
  "the latest result of every check in the agents' configs (GET /api/v1/results/latest)"
  latestResults(checkId: String, agentId: ID): LatestResults
  "aggregated series from stored results (GET /api/v1/metrics)"
  metrics(
    checkId: String
    agentId: ID
    "latency_ms (default) or a result metric such as loss_ratio"
    metric: String
    "${TIME}; default: an hour before to"
    from: String
    "${TIME}; default: now"
    to: String
    "seconds or a duration (10s, 1m); default: about 300 points"
    step: String
  ): Metrics
  "per (agent, check) over a range: runs, failures, uptime, latency (GET /api/v1/metrics/summary)"
  metricsSummary(
    checkId: String
    agentId: ID
    "${TIME}; default: a day before to"
    from: String
    "${TIME}; default: now"
    to: String
  ): MetricsSummary
}

"Over a WebSocket to /graphql (subprotocol graphql-transport-ws), with the same credential as any request."
type Subscription {
  "results as they are stored, of one check and/or one agent (none: all)"
  results(checkId: String, agentId: ID): Result!
}
`;
