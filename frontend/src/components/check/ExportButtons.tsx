import type { ExportFormat } from '@nop/protocol';
import { useState } from 'react';
import { downloadExport } from '../../api/history.ts';
import { errorMessage } from '../../api/problem.ts';
import type { ExportFilters } from '../../lib/resultExport.ts';
import { useAuth } from '../../store/auth.ts';
import { Button } from '../ui/Button.tsx';

/**
 * Export CSV / NDJSON of the results the table shows (same check, agent, status and range). The API
 * takes the session's token only as a header, so the file is fetched and then saved, not linked.
 */
export function ExportButtons({ filters }: { filters: () => ExportFilters }) {
  const token = useAuth((s) => s.token);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      await downloadExport(filters(), format, token);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      {error && (
        <span role="alert" className="text-xs text-bad">
          {error}
        </span>
      )}
      <Button size="sm" busy={busy === 'csv'} disabled={busy !== null} onClick={() => void run('csv')}>
        Export CSV
      </Button>
      <Button size="sm" busy={busy === 'ndjson'} disabled={busy !== null} onClick={() => void run('ndjson')}>
        Export NDJSON
      </Button>
    </>
  );
}
