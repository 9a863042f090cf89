import { useUserList } from '../../hooks/useUsers.ts';
import { PagedListBody } from '../PagedListBody.tsx';
import { Panel } from '../ui/Panel.tsx';
import { ActionsTh, Table, TBody, Th, THead } from '../ui/Table.tsx';
import { UserRow } from './UserRow.tsx';

/** Every account, by email, a page at a time: role, status and the admin's controls per row. */
export function UsersPanel() {
  const users = useUserList();
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
      <PagedListBody list={users} what="users" noun="users" onRetry={users.refetch}>
        <Table label="Users" minWidth="min-w-[720px]">
          <THead>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Created</Th>
            <ActionsTh />
          </THead>
          <TBody>
            {users.items.map((user) => (
              <UserRow key={user.id} user={user} />
            ))}
          </TBody>
        </Table>
      </PagedListBody>
    </Panel>
  );
}
