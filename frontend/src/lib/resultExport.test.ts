import { describe, expect, it } from 'vitest';
import { attachmentName, exportQuery } from './resultExport.ts';

describe('result export', () => {
  it('asks for the page’s filters and range', () => {
    expect(exportQuery({ checkId: 'c', status: 'failed', fromMs: 0, toMs: 1000 }, 'ndjson')).toEqual({
      format: 'ndjson',
      check_id: 'c',
      agent_id: undefined,
      status: 'failed',
      from: '1970-01-01T00:00:00.000Z',
      to: '1970-01-01T00:00:01.000Z',
    });
  });

  it('takes the server’s file name, made safe, or the fallback', () => {
    expect(attachmentName('attachment; filename="results-c.csv"', 'x')).toBe('results-c.csv');
    expect(attachmentName("attachment; filename*=UTF-8''r%C3%A9sults.csv", 'x')).toBe('résults.csv');
    expect(attachmentName('attachment; filename="../../etc/passwd"', 'x')).toBe('.._.._etc_passwd');
    expect(attachmentName(null, 'fallback.csv')).toBe('fallback.csv');
  });
});
