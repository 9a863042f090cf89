import { useQuery } from '@tanstack/react-query';
import { listAudit, type AuditQuery } from '../api/audit.ts';
import { listUsers } from '../api/users.ts';
import { fetchAllPages } from '../lib/paging.ts';
import { usePagedList } from './usePagedList.ts';
import { USERS_KEY } from './useUsers.ts';

/** The audit log under the applied filters, newest first, a page at a time. */
export const useAuditLog = (query: AuditQuery) =>
  usePagedList(['audit', query], (cursor, signal) => listAudit(query, cursor, signal));

/** Every user, for the "actor" filter (admins only, like the page). */
export const useAllUsers = () =>
  useQuery({
    queryKey: [...USERS_KEY, 'all'],
    queryFn: ({ signal }) => fetchAllPages((cursor) => listUsers(cursor, signal)),
    staleTime: 60_000,
  });
