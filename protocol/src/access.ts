import { z } from 'zod';

/**
 * Who may do what: `admin` everything (users too), `editor` agents and checks (later rules and
 * channels), `viewer` reads. The backend's policy table (backend/src/http/policy.ts) maps every
 * route to the roles that may use it; the dashboard hides what a role cannot use.
 */
export const Role = z.enum(['admin', 'editor', 'viewer']);
export type Role = z.infer<typeof Role>;

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** true when `role` may do everything `needed` may. */
export const roleAtLeast = (role: Role, needed: Role) => RANK[role] >= RANK[needed];

/** The lower of two roles (an API token never acts above its owner). */
export const lowerRole = (a: Role, b: Role): Role => (RANK[a] <= RANK[b] ? a : b);

export const Email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
export const Password = z.string().min(8, 'must be at least 8 characters').max(256);
export const PersonName = z.string().trim().min(1).max(100);

export const SignupBody = z.strictObject({ name: PersonName, email: Email, password: Password });

export const LoginBody = z.strictObject({
  email: z
    .string()
    .trim()
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(256),
});

export const User = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: Role,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

/** A signed-in session: the JWT (send as `Authorization: Bearer`), when it ends, and who. */
export const TokenResponse = z.object({ token: z.string(), expiresAt: z.string(), user: User });
export type TokenResponse = z.infer<typeof TokenResponse>;

/** What the sign-in page needs to know before anyone signs in. */
export const AuthOptions = z.object({
  /** true while no account exists: the first sign-up becomes admin */
  firstUser: z.boolean(),
  /** anyone may sign up (NOP_SIGNUP=open); otherwise only by invitation */
  signupOpen: z.boolean(),
  /** the role open sign-up gives (NOP_SIGNUP_ROLE) */
  signupRole: Role,
});

/** How many sessions a "sign out everywhere" ended. */
export const EndedSessions = z.object({ ended: z.number().int().nonnegative() });

export const UpdateMeBody = z.strictObject({ name: PersonName });

export const ChangePasswordBody = z
  .strictObject({ currentPassword: z.string().min(1).max(256), newPassword: Password })
  .refine((b) => b.currentPassword !== b.newPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password',
  });

export const Session = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** the session this request came with */
  current: z.boolean(),
});
export type Session = z.infer<typeof Session>;

// ---- users (admin) ----

export const CreateUserBody = z.strictObject({ name: PersonName, email: Email, password: Password, role: Role });

export const PatchUserBody = z
  .strictObject({ name: PersonName.optional(), role: Role.optional(), disabled: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.role !== undefined || b.disabled !== undefined, {
    message: 'give at least one of name, role, disabled',
  });

// ---- invitations (admin creates; the invitee accepts without an account) ----

export const InvitationBody = z.strictObject({
  email: Email,
  role: Role.default('viewer'),
  /** how long the link works, in hours (default 72, at most 30 days) */
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});

export const InvitationStatus = z.enum(['pending', 'accepted', 'expired', 'revoked']);

export const Invitation = z.object({
  id: z.uuid(),
  email: z.string(),
  role: Role,
  status: InvitationStatus,
  createdAt: z.string(),
  expiresAt: z.string(),
  createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
});
export type Invitation = z.infer<typeof Invitation>;

/** The invitation link is shown once: only its hash is stored. */
export const CreatedInvitation = z.object({ invitation: Invitation, token: z.string(), url: z.string() });

const InvitationToken = z.string().min(1).max(200);
export const InvitationTokenBody = z.strictObject({ token: InvitationToken });
export const InvitationInfo = z.object({ email: z.string(), role: Role, expiresAt: z.string() });
export const AcceptInvitationBody = z.strictObject({ token: InvitationToken, name: PersonName, password: Password });

// ---- API tokens (automation: usable wherever a JWT is) ----

export const ApiTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** what the token may do: a role no higher than its owner's (default: the owner's) */
  role: Role.optional(),
  /** days until it stops working (default 90, at most 365) */
  expiresInDays: z.number().int().min(1).max(365).default(90),
});

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  role: Role,
  /** the first characters of the token, to recognise it (the rest is never shown again) */
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  lastUsedIp: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const CreatedApiToken = z.object({ apiToken: ApiToken, token: z.string() });

// ---- audit log (admin) ----

export const AuditEntry = z.object({
  id: z.string(),
  time: z.string(),
  /** who: a user (by session or API token), or nobody signed in (a failed login, an accepted invitation) */
  actor: z.object({
    kind: z.enum(['user', 'token', 'anonymous']),
    id: z.string().nullable(),
    name: z.string().nullable(),
  }),
  /** what, e.g. agent.update, user.role, auth.login */
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }).nullable(),
  ip: z.string().nullable(),
  /** the HTTP status the mutation was answered with */
  status: z.number().int(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

// ---- pages: every list is paged with an opaque cursor ----

export const PAGE_DEFAULT_LIMIT = 50;
export const PAGE_MAX_LIMIT = 200;

/** `{items, nextCursor}`: pass nextCursor back as `cursor` for the next page; null on the last. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
