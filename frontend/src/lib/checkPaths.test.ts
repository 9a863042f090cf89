import { describe, expect, it } from 'vitest';
import { checkEditPath, checkPagePath, parseCheckPath } from './checkPaths.ts';

describe('check paths', () => {
  it('round-trips the page and the editor of a check', () => {
    expect(parseCheckPath(checkPagePath('icmp-1.1.1.1'))).toEqual({ view: 'page', id: 'icmp-1.1.1.1' });
    expect(parseCheckPath(checkEditPath('http-a_b'))).toEqual({ view: 'edit', id: 'http-a_b' });
    expect(parseCheckPath('/checks/new')).toEqual({ view: 'new' });
  });

  it('answers null for other paths and broken escapes', () => {
    expect(parseCheckPath('/checks')).toBeNull();
    expect(parseCheckPath('/checks/a/b')).toBeNull();
    expect(parseCheckPath('/checks/%E0%A4%A')).toBeNull();
  });
});
