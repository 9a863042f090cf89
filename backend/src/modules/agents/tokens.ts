import { hashOpaqueToken, newOpaqueToken } from '../../lib/opaque-tokens.ts';

const PREFIX = 'nop_agt_';

/** A new agent token (shown once at creation; the backend keeps its hash). */
export const newAgentToken = () => newOpaqueToken(PREFIX);

export const hashAgentToken = hashOpaqueToken;
