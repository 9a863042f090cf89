import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { z } from 'zod';

const ISSUER = 'nop';

export const Claims = z.object({ sub: z.uuid(), role: z.enum(['admin', 'user']), name: z.string() });
export type Claims = z.infer<typeof Claims>;

export interface JwtService {
  sign(claims: Claims): Promise<string>;
  /** throws InvalidTokenError with a reason a client can act on */
  verify(token: string): Promise<Claims & { exp: number }>;
}

export class InvalidTokenError extends Error {}

/** HS256 only: tokens with any other alg (including "none") are refused before any key is used. */
export function createJwtService(secret: string, ttlSeconds: number): JwtService {
  const key = new TextEncoder().encode(secret);
  return {
    sign: (claims) =>
      new SignJWT({ role: claims.role, name: claims.name })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER });
        const claims = Claims.parse(payload);
        return { ...claims, exp: payload.exp! };
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('token expired');
        throw new InvalidTokenError('token invalid');
      }
    },
  };
}
