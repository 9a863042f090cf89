import type { Session } from '@nop/protocol';
import { errorMessage } from '../../api/problem.ts';
import { useRevokeOtherSessions, useRevokeSession, useSessionList } from '../../hooks/useProfile.ts';
import { describeUserAgent } from '../../lib/userAgent.ts';
import { ExpiresIn } from '../ExpiresIn.tsx';
import { PagedListBody } from '../PagedListBody.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { Alert } from '../ui/Alert.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Panel } from '../ui/Panel.tsx';
import { ActionsTh, RowAlert, Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';

/** Where you are signed in: end any other session, or all of them at once. */
export function SessionsPanel() {
  const sessions = useSessionList();
  const others = useRevokeOtherSessions();
  const otherCount = sessions.items.filter((s) => !s.current).length;

  return (
    <Panel
      title="Sessions"
      summary={
        sessions.items.length > 0 && (
          <span className="tabular-nums">
            {sessions.items.length} signed in{sessions.hasMore ? '+' : ''}
          </span>
        )
      }
      actions={
        <Button
          size="sm"
          busy={others.isPending}
          disabled={otherCount === 0 && !sessions.hasMore}
          title={otherCount === 0 && !sessions.hasMore ? 'This is your only session' : undefined}
          onClick={() => others.mutate()}
        >
          Sign out everywhere else
        </Button>
      }
    >
      {others.isError && (
        <div className="px-4 py-3">
          <Alert>Couldn't end every other session: {errorMessage(others.error)}</Alert>
        </div>
      )}
      {others.isSuccess && (
        <div className="px-4 py-3">
          <Alert tone="info">
            {others.data === 0
              ? 'There were no other sessions.'
              : `Signed out ${others.data} other ${others.data === 1 ? 'session' : 'sessions'}.`}
          </Alert>
        </div>
      )}
      <PagedListBody list={sessions} what="sessions" noun="sessions">
        <Table label="Sessions">
          <THead>
            <Th>Device</Th>
            <Th>Address</Th>
            <Th>Signed in</Th>
            <Th>Last used</Th>
            <Th>Expires</Th>
            <ActionsTh />
          </THead>
          <TBody>
            {sessions.items.map((session) => (
              <SessionRow key={session.id} session={session} />
            ))}
          </TBody>
        </Table>
      </PagedListBody>
    </Panel>
  );
}

function SessionRow({ session }: { session: Session }) {
  const revoke = useRevokeSession();
  return (
    <>
      <Tr>
        <Td>
          <div className="flex items-center gap-2">
            <span className="font-medium text-fg" title={session.userAgent ?? undefined}>
              {describeUserAgent(session.userAgent)}
            </span>
            {session.current && <Badge tone="accent">This session</Badge>}
          </div>
        </Td>
        <Td className="font-mono text-xs text-muted">{session.ip ?? '—'}</Td>
        <Td className="text-xs whitespace-nowrap text-muted">
          <RelativeTime iso={session.createdAt} />
        </Td>
        <Td className="text-xs whitespace-nowrap text-muted">
          <RelativeTime iso={session.lastUsedAt} />
        </Td>
        <Td className="text-xs whitespace-nowrap text-muted">
          <ExpiresIn iso={session.expiresAt} />
        </Td>
        <Td className="text-right">
          {session.current ? (
            <span className="text-xs text-faint" title="Use Log out at the top to end this one">
              you are here
            </span>
          ) : (
            <Button
              size="sm"
              variant="ghost"
              className="hover:text-bad"
              busy={revoke.isPending}
              onClick={() => revoke.mutate(session.id)}
              aria-label={`Sign out ${describeUserAgent(session.userAgent)} (${session.ip ?? 'unknown address'})`}
            >
              Sign out
            </Button>
          )}
        </Td>
      </Tr>
      {revoke.isError && <RowAlert colSpan={6}>{errorMessage(revoke.error)}</RowAlert>}
    </>
  );
}
