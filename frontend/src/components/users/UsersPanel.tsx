import { errorMessage } from '../../api/problem.ts';
import { useUserList } from '../../hooks/useUsers.ts';
import { LoadMore } from '../LoadMore.tsx';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Panel } from '../ui/Panel.tsx';
import { Spinner } from '../ui/Spinner.tsx';
import { Table, TBody, Th, THead } from '../ui/Table.tsx';
import { UserRow } from './UserRow.tsx';

/** Every account, by email, a page at a time: role, status and the admin's controls per row. */
export function UsersPanel() {
  const users = useUserList();

  let body;
  if (users.loading) {
    body = (
      <div className="flex items-center justify-center gap-2 py-12 text-sm text-muted">
        <Spinner className="size-4" /> Loading users…
      </div>
    );
  } else if (users.error && users.items.length === 0) {
    body = (
      <div className="space-y-3 p-4">
        <Alert>Couldn't load users: {errorMessage(users.error)}</Alert>
        <Button size="sm" onClick={users.refetch}>
          Try again
        </Button>
      </div>
    );
  } else {
    body = (
      <>
        <Table label="Users" minWidth="min-w-[720px]">
          <THead>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Created</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </THead>
          <TBody>
            {users.items.map((user) => (
              <UserRow key={user.id} user={user} />
            ))}
          </TBody>
        </Table>
        <LoadMore
          hasMore={users.hasMore}
          loading={users.loadingMore}
          onLoad={users.loadMore}
          shown={users.items.length}
          noun="users"
        />
      </>
    );
  }

  return (
    <Panel
      title="Accounts"
      summary={
        users.items.length > 0 && (
          <span className="tabular-nums">
            {users.items.length}
            {users.hasMore ? '+' : ''} {users.items.length === 1 ? 'user' : 'users'}
          </span>
        )
      }
    >
      {body}
    </Panel>
  );
}
