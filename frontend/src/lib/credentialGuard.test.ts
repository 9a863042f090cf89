import { describe, expect, it } from 'vitest';
import { createCredentialGuard } from './credentialGuard.ts';

function setup(initial: string | null = 'old') {
  const state = { token: initial, notices: [] as string[] };
  const guard = createCredentialGuard({
    currentToken: () => state.token,
    signOut: (notice) => {
      state.token = null;
      state.notices.push(notice);
    },
  });
  return { state, guard };
}

describe('credential guard', () => {
  it('signs out when the stored token is refused', () => {
    const { state, guard } = setup();
    guard.reject('old', 'revoked');
    expect(state.notices).toEqual(['revoked']);
  });

  it('ignores refusals of a token that is no longer the stored one, or of no token', () => {
    const { state, guard } = setup('new');
    guard.reject('old', 'stale answer');
    guard.reject(null, 'anonymous');
    expect(state.notices).toEqual([]);
  });

  it('holds a refusal during a credential switch and drops it once the new token is stored', async () => {
    const { state, guard } = setup();
    await guard.during(async () => {
      guard.reject('old', 'socket closed 1008'); // the password change ended every session first
      state.token = 'new';
    });
    expect(state.notices).toEqual([]);
    expect(state.token).toBe('new');
  });

  it('applies a held refusal when the switch failed and the token is unchanged', async () => {
    const { state, guard } = setup();
    await expect(
      guard.during(async () => {
        guard.reject('old', 'revoked meanwhile');
        throw new Error('wrong current password');
      }),
    ).rejects.toThrow('wrong current password');
    expect(state.notices).toEqual(['revoked meanwhile']);
  });

  it('waits for overlapping switches to end', async () => {
    const { state, guard } = setup();
    let finishFirst!: () => void;
    const first = guard.during(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    await guard.during(async () => guard.reject('old', 'held'));
    expect(state.notices).toEqual([]);
    finishFirst();
    await first;
    expect(state.notices).toEqual(['held']);
  });
});
