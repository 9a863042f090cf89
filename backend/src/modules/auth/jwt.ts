import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { z } from 'zod';

const ISSUER = 'nop';
/** clocks of replicas may differ a little */
const CLOCK_TOLERANCE_S = 30;

/**
 * What a user JWT carries: the user, the session it belongs to and the user's token version. Roles
 * are not in it: they are read from the database on every request, so a demotion holds at once.
 */
export const Claims = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  tv: z.number().int().nonnegative(),
  iat: z.number(),
  exp: z.number(),
});
export type Claims = z.infer<typeof Claims>;

export interface JwtService {
  readonly ttlSeconds: number;
  sign(claims: { sub: string; sid: string; tv: number }, expiresAt: Date): Promise<string>;
  /** throws InvalidTokenError with a reason a client can act on */
  verify(token: string): Promise<Claims>;
}

export class InvalidTokenError extends Error {}

/**
 * HS256 only: tokens with any other alg (including "none") are refused before any key is used.
 * `exp`, `iat`, the session id and the token version are required, and no token may live longer
 * than the configured TTL, so a JWT forged without `exp` or with `exp` in 2200 is refused even
 * when it carries the right signature.
 */
export function createJwtService(secret: string, ttlSeconds: number): JwtService {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,
    sign: (claims, expiresAt) =>
      new SignJWT({ sid: claims.sid, tv: claims.tv })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key),
    async verify(token) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          requiredClaims: ['exp', 'iat', 'sub'],
          maxTokenAge: ttlSeconds + CLOCK_TOLERANCE_S,
          clockTolerance: CLOCK_TOLERANCE_S,
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
        throw new InvalidTokenError('token invalid');
      }
      const claims = Claims.safeParse(payload);
      // issued "in the future" or living longer than any session may: not one of ours
      if (!claims.success || claims.data.exp - claims.data.iat > ttlSeconds + CLOCK_TOLERANCE_S)
        throw new InvalidTokenError('token invalid');
      return claims.data;
    },
  };
}
