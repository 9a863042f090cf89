import { describe, expect, it } from 'vitest';
import { DbError } from '../db/db-error.ts';
import { isDependencyDown } from './dependency-errors.ts';

describe('isDependencyDown', () => {
  it('knows PostgreSQL and Redis going away', () => {
    expect(isDependencyDown(new DbError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDependencyDown(new DbError('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isDependencyDown(new DbError('the database system is starting up', '57P03'))).toBe(true);
    expect(isDependencyDown(new DbError('Connection terminated unexpectedly', undefined))).toBe(true);
    expect(
      isDependencyDown(
        Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }),
      ),
    ).toBe(true);
    expect(isDependencyDown(new Error('Connection is closed.'))).toBe(true);
  });

  it('leaves bugs and bad data to be 500s', () => {
    expect(isDependencyDown(new DbError('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isDependencyDown(new DbError('invalid input syntax for type uuid', '22P02'))).toBe(false);
    expect(isDependencyDown(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDependencyDown('ECONNREFUSED')).toBe(false);
  });
});
