import { EXPORT_CSV_COLUMNS, type ExportFormat } from '@nop/protocol';

/**
 * The export's lines, written by the database as SQL expressions over `check_results r JOIN
 * agents a`: PostgreSQL escapes and joins the text in C on its own core, and the backend receives
 * one string per chunk instead of parsing a dozen fields of every row (that parsing, not the query,
 * was most of the time).
 */

/**
 * A CSV cell of free text (RFC 4180): always quoted, quotes doubled, so commas, quotes and line
 * breaks survive; NULL is an empty unquoted cell, told apart from an empty text ("").
 *
 * Spreadsheet formula injection: a cell whose text starts with = + - @ (or a tab or carriage
 * return, which some spreadsheets skip before reading a formula) is run as a formula when the file
 * is opened in Excel, LibreOffice or Google Sheets, and fields such as `error` and `target` carry
 * text that probed servers and agent owners control. Such text is written with a leading single
 * quote (OWASP's advice): spreadsheets show the text, other readers see one extra character.
 */
const csvText = (column: string) =>
  `CASE WHEN ${column} IS NULL THEN '' ELSE '"' || replace(CASE WHEN left(${column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r')
     THEN '''' || ${column} ELSE ${column} END, '"', '""') || '"' END`;

/** A float8 as a JSON number; NaN and infinities (which no ingest stores) as null. */
const jsonNumber = (column: string) =>
  `CASE WHEN ${column} IS NULL OR ${column} IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) THEN 'null'
        ELSE ${column}::text END`;

/** ISO-8601 in UTC with milliseconds, as Date.prototype.toISOString prints it (and the list answers). */
const ISO_TIME = `to_char(r.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** One CSV record per result, columns as EXPORT_CSV_COLUMNS, ending in CRLF. */
const CSV_LINE = [
  ISO_TIME,
  'r.agent_id::text',
  csvText('a.name'),
  csvText('r.check_id'),
  csvText('r.type'),
  csvText('r.target'),
  `CASE WHEN r.success THEN 'true' ELSE 'false' END`,
  `CASE WHEN r.duration_ms IS NULL THEN '' ELSE ${jsonNumber('r.duration_ms')} END`,
  csvText('r.error'),
  csvText('r.metrics::text'),
].join(` || ',' || `);

/** One StreamedResult per line; error, trace and dns left out when absent, as the list does. */
const NDJSON_LINE = [
  `'{"id":"' || r.id::text || '","checkId":' || to_json(r.check_id)::text`,
  `',"type":' || to_json(r.type)::text || ',"target":' || to_json(r.target)::text`,
  `',"time":"' || ${ISO_TIME} || '","success":' || r.success::text`,
  `',"durationMs":' || ${jsonNumber('r.duration_ms')}`,
  `coalesce(',"error":' || to_json(r.error)::text, '')`,
  `',"metrics":' || r.metrics::text || coalesce(',"trace":' || (r.details -> 'trace')::text, '')`,
  `coalesce(',"dns":' || (r.details -> 'dns')::text, '')`,
  `',"agentId":"' || r.agent_id::text || '","agentName":' || to_json(a.name)::text || '}'`,
].join(' || ');

export const LINE_SQL: Record<ExportFormat, string> = {
  csv: `${CSV_LINE} || E'\\r\\n'`,
  ndjson: `${NDJSON_LINE} || E'\\n'`,
};

/** The CSV header row: the column names need no quoting. */
export const CSV_HEADER = `${EXPORT_CSV_COLUMNS.join(',')}\r\n`;
