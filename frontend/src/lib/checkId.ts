/**
 * Check ids made from type and target live in the protocol, so the dashboard, the API (which names
 * a check created without an id) and a clone agree on them.
 */
export { suggestCheckId } from '@nop/protocol';
