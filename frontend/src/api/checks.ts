import { PAGE_MAX_LIMIT, type Check, type CheckSpecInput, type CheckType, type Page } from '@nop/protocol';
import { fetchAllPages } from '../lib/paging.ts';
import { request } from './client.ts';

/**
 * Checks as objects of their own (/api/v1/checks). The check page and the editor import these:
 * keep the names and signatures stable.
 */

/** Who runs a check and how it is labelled; every field optional on create (the API has defaults). */
export interface CheckMetaInput {
  labels?: Record<string, string>;
  enabled?: boolean;
  /** agents that run the check whatever their labels */
  agentIds?: string[];
  /** and every agent whose labels match: "region=eu,role=edge" */
  selector?: string;
}

/** Omit over each member of a union (plain Omit would merge the check types into one). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** POST body: flat, the spec plus the meta fields; `id` is made from type and target when absent. */
export type CreateCheckInput = DistributiveOmit<CheckSpecInput, 'id'> & { id?: string } & CheckMetaInput;

/** PATCH body: any subset of the spec and meta fields (type-specific fields included). */
export type UpdateCheckInput = Partial<Record<string, unknown>> & CheckMetaInput;

export type CheckActionName = 'enable' | 'disable';

/** Filters of GET /api/v1/checks; `label` is "key=value". */
export interface CheckListQuery {
  type?: CheckType;
  label?: string;
  agentId?: string;
  q?: string;
  enabled?: boolean;
}

const checkPath = (id: string) => `/api/v1/checks/${encodeURIComponent(id)}`;

const listQuery = (query: CheckListQuery, limit: number, cursor: string | undefined) => ({
  limit,
  cursor,
  type: query.type,
  label: query.label,
  agent_id: query.agentId,
  q: query.q,
  enabled: query.enabled,
});

/** One page of checks (sorted by id). */
export const listChecksPage = (
  query: CheckListQuery = {},
  cursor?: string,
  limit: number = PAGE_MAX_LIMIT,
  signal?: AbortSignal,
) => request<Page<Check>>('GET', '/api/v1/checks', { query: listQuery(query, limit, cursor), signal });

/** Every check matching `query`: the pages followed to the end, in the largest pages. */
export const listChecks = (query: CheckListQuery = {}, signal?: AbortSignal) =>
  fetchAllPages((cursor) => listChecksPage(query, cursor, PAGE_MAX_LIMIT, signal));

export const getCheck = (id: string, signal?: AbortSignal) => request<Check>('GET', checkPath(id), { signal });

export const createCheck = (body: CreateCheckInput) => request<Check>('POST', '/api/v1/checks', { body });

export const updateCheck = (id: string, body: UpdateCheckInput) => request<Check>('PATCH', checkPath(id), { body });

export const removeCheck = (id: string) => request<void>('DELETE', checkPath(id));

export const actOnCheck = (id: string, action: CheckActionName) =>
  request<Check>('POST', `${checkPath(id)}/actions`, { body: { action } });

/** A copy under a new id (made from type and target when absent). */
export const cloneCheck = (id: string, newId?: string) =>
  request<Check>('POST', `${checkPath(id)}/clone`, { body: newId === undefined ? {} : { id: newId } });
