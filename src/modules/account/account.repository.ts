import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { newUuidV7 } from "../../platform/ids.js";

type Db = PrismaClient | Prisma.TransactionClient;

export type ClientInfo = Readonly<{ ip: string | null; userAgent: string | null }>;

/** Accounts, sessions, reset and verification tokens: the only code here that talks to Prisma. */
export function accountRepository(prisma: PrismaClient) {
  const now = () => new Date();
  return {
    transaction: <T>(work: (tx: Prisma.TransactionClient) => Promise<T>) => prisma.$transaction(work),

    findActiveUserByEmail: (email: string) => prisma.user.findFirst({ where: { email, deletedAt: null } }),
    findActiveUser: (id: string) => prisma.user.findFirst({ where: { id, deletedAt: null } }),

    /** Which of these unique values another account already uses. */
    async takenIdentifiers(values: { email?: string; username?: string }, exceptUserId?: string) {
      const or: Prisma.UserWhereInput[] = [];
      if (values.email) or.push({ email: values.email });
      if (values.username) or.push({ username: values.username });
      if (or.length === 0) return { email: false, username: false };
      const clashes = await prisma.user.findMany({
        where: { OR: or, ...(exceptUserId ? { id: { not: exceptUserId } } : {}) },
        select: { email: true, username: true },
      });
      return {
        email: clashes.some((user) => user.email === values.email),
        username: clashes.some((user) => user.username === values.username),
      };
    },

    createUser: (data: { email: string; username: string; name: string; passwordHash: string }, db: Db = prisma) =>
      db.user.create({ data }),
    updateUser: (id: string, data: Prisma.UserUpdateInput, db: Db = prisma) => db.user.update({ where: { id }, data }),

    /**
     * The session and its first refresh token in one statement (both rows or neither). Prisma's nested
     * create took five round trips (BEGIN, two INSERTs, a SELECT, COMMIT), most of what a login spends
     * besides verifying the password.
     */
    async createSession(
      userId: string,
      client: ClientInfo,
      refreshTokenHash: string,
      expiresAt: Date,
    ): Promise<{ id: string }> {
      const id = newUuidV7();
      const createdAt = now();
      await prisma.$executeRaw`
        WITH session AS (
          INSERT INTO sessions (id, "userId", "userAgent", ip, "createdAt", "lastUsedAt", "expiresAt")
          VALUES (${id}::uuid, ${userId}::uuid, ${client.userAgent}, ${client.ip},
                  ${createdAt}::timestamp(3), ${createdAt}::timestamp(3), ${expiresAt}::timestamp(3))
          RETURNING id
        )
        INSERT INTO refresh_tokens (id, "sessionId", "tokenHash", "createdAt")
        SELECT ${newUuidV7()}::uuid, session.id, ${refreshTokenHash}, ${createdAt}::timestamp(3) FROM session`;
      return { id };
    },

    findRefreshToken: (tokenHash: string) =>
      prisma.refreshToken.findUnique({ where: { tokenHash }, include: { session: true } }),

    /** Marks a refresh token used; false if something else already did (a concurrent reuse). */
    async claimRefreshToken(id: string, db: Db) {
      const { count } = await db.refreshToken.updateMany({
        where: { id, rotatedAt: null },
        data: { rotatedAt: now() },
      });
      return count === 1;
    },

    addRefreshToken: (sessionId: string, tokenHash: string, db: Db) =>
      db.refreshToken.create({ data: { sessionId, tokenHash } }),

    touchSession: (sessionId: string, client: ClientInfo, expiresAt: Date, db: Db) =>
      db.session.update({ where: { id: sessionId }, data: { ...client, lastUsedAt: now(), expiresAt } }),

    async revokeSession(sessionId: string, reason: string, db: Db = prisma) {
      const { count } = await db.session.updateMany({
        where: { id: sessionId, revokedAt: null },
        data: { revokedAt: now(), revokedReason: reason },
      });
      return count;
    },

    /** Revokes the user's live sessions (but one, optionally); returns their ids for the revocation set. */
    async revokeUserSessions(userId: string, reason: string, db: Db = prisma, exceptSessionId?: string) {
      const revoked = await db.session.updateManyAndReturn({
        where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
        data: { revokedAt: now(), revokedReason: reason },
        select: { id: true },
      });
      return revoked.map((session) => session.id);
    },

    /** The account's live sessions (not revoked, not expired), most recently used first. */
    listSessions: (userId: string) =>
      prisma.session.findMany({
        where: { userId, revokedAt: null, expiresAt: { gt: now() } },
        orderBy: [{ lastUsedAt: "desc" }, { id: "desc" }],
        select: { id: true, userId: true, userAgent: true, ip: true, createdAt: true, lastUsedAt: true },
      }),

    /** Revokes one live session of this user; 0 when it is not theirs, not live, or does not exist. */
    async revokeOwnSession(userId: string, sessionId: string, reason: string) {
      const { count } = await prisma.session.updateMany({
        where: { id: sessionId, userId, revokedAt: null, expiresAt: { gt: now() } },
        data: { revokedAt: now(), revokedReason: reason },
      });
      return count;
    },

    createVerificationToken: (userId: string, email: string, tokenHash: string, expiresAt: Date, db: Db) =>
      db.emailVerificationToken.create({ data: { userId, email, tokenHash, expiresAt } }),

    /** Unused verification tokens of the user, except those for `keepEmail` (e.g. a sign-up link still out). */
    dropVerificationTokens: (userId: string, db: Db, keepEmail?: string) =>
      db.emailVerificationToken.deleteMany({
        where: { userId, usedAt: null, ...(keepEmail ? { email: { not: keepEmail } } : {}) },
      }),

    findVerificationToken: (tokenHash: string) =>
      prisma.emailVerificationToken.findUnique({ where: { tokenHash }, include: { user: true } }),

    /** Uses a verification token once: of two racing calls exactly one wins. */
    async consumeVerificationToken(tokenHash: string, db: Db) {
      const { count } = await db.emailVerificationToken.updateMany({
        where: { tokenHash, usedAt: null, expiresAt: { gt: now() } },
        data: { usedAt: now() },
      });
      return count === 1;
    },

    /** Reset links still out went to an address the account no longer has. */
    dropResetTokens: (userId: string, db: Db) => db.passwordResetToken.deleteMany({ where: { userId, usedAt: null } }),

    createResetToken: (userId: string, tokenHash: string, expiresAt: Date, db: Db = prisma) =>
      db.passwordResetToken.create({ data: { userId, tokenHash, expiresAt } }),

    /** Sessions past their expiry (their refresh tokens go with them), and reset and verification tokens and browser sign-in attempts past theirs. */
    async deleteExpired() {
      const sessions = await prisma.session.deleteMany({ where: { expiresAt: { lt: now() } } });
      const resetTokens = await prisma.passwordResetToken.deleteMany({ where: { expiresAt: { lt: now() } } });
      const verificationTokens = await prisma.emailVerificationToken.deleteMany({
        where: { expiresAt: { lt: now() } },
      });
      const loginAttempts = await prisma.oidcLoginAttempt.deleteMany({ where: { expiresAt: { lt: now() } } });
      const idTokenNonces = await prisma.usedIdTokenNonce.deleteMany({ where: { expiresAt: { lt: now() } } });
      return {
        loginAttempts: loginAttempts.count,
        idTokenNonces: idTokenNonces.count,
        sessions: sessions.count,
        resetTokens: resetTokens.count,
        verificationTokens: verificationTokens.count,
      };
    },

    /** A provider identity and its account (closed ones too: the caller decides). */
    findIdentity: (issuer: string, subject: string) =>
      prisma.identity.findUnique({ where: { issuer_subject: { issuer, subject } }, include: { user: true } }),

    touchIdentity: (id: string) => prisma.identity.update({ where: { id }, data: { lastUsedAt: now() } }),

    /** Any account with this e-mail, closed ones included: the address stays theirs (the column is unique). */
    findUserByEmail: (email: string) => prisma.user.findUnique({ where: { email } }),

    createIdentity: (
      userId: string,
      identity: { provider: string; issuer: string; subject: string; email: string | null },
      db: Db = prisma,
    ) => db.identity.create({ data: { userId, ...identity } }),

    /** An account made by a social sign-in: no password (login refuses it until a reset sets one). */
    createPasswordlessUser: (data: { email: string; username: string; name: string; emailVerified: boolean }, db: Db) =>
      db.user.create({ data: { ...data, passwordHash: null } }),

    listIdentities: (userId: string) =>
      prisma.identity.findMany({
        where: { userId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, userId: true, provider: true, email: true, createdAt: true, lastUsedAt: true },
      }),

    /**
     * Unlinks one of the user's identities unless it is their last way in (no password, no other identity).
     * The account's row is locked first, so two unlinks of a passwordless account's last two identities
     * cannot both see the other one still there.
     */
    async unlinkIdentity(userId: string, identityId: string): Promise<"unlinked" | "not-found" | "last-method"> {
      return prisma.$transaction(async (tx) => {
        const [owner] = await tx.$queryRaw<{ hasPassword: boolean }[]>`
          SELECT "passwordHash" IS NOT NULL AS "hasPassword" FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
        if (!owner) return "not-found";
        const identities = await tx.identity.findMany({ where: { userId }, select: { id: true } });
        if (!identities.some((identity) => identity.id === identityId)) return "not-found";
        if (!owner.hasPassword && identities.length === 1) return "last-method";
        await tx.identity.delete({ where: { id: identityId } });
        return "unlinked";
      });
    },

    createLoginAttempt: (data: {
      stateHash: string;
      provider: string;
      codeVerifier: string;
      nonce: string;
      linkUserId: string | null;
      expiresAt: Date;
    }) => prisma.oidcLoginAttempt.create({ data }),

    /** Uses a browser sign-in's state once: a replayed or expired state, or another provider's, finds nothing. */
    async consumeLoginAttempt(stateHash: string, provider: string) {
      const [attempt] = await prisma.oidcLoginAttempt.updateManyAndReturn({
        where: { stateHash, provider, usedAt: null, expiresAt: { gt: now() } },
        data: { usedAt: now() },
      });
      return attempt ?? null;
    },

    /** Records an ID token's nonce as used; false when it already was (a replay). */
    async claimIdTokenNonce(hash: string, expiresAt: Date) {
      const { count } = await prisma.usedIdTokenNonce.createMany({ data: [{ hash, expiresAt }], skipDuplicates: true });
      return count === 1;
    },

    findResetToken: (tokenHash: string) =>
      prisma.passwordResetToken.findUnique({ where: { tokenHash }, include: { user: true } }),

    /** Uses a reset token once: the conditional update lets exactly one of two racing calls win. */
    async consumeResetToken(tokenHash: string, db: Db) {
      const token = await db.passwordResetToken.findUnique({ where: { tokenHash } });
      if (!token) return null;
      const { count } = await db.passwordResetToken.updateMany({
        where: { id: token.id, usedAt: null, expiresAt: { gt: now() } },
        data: { usedAt: now() },
      });
      return count === 1 ? token : null;
    },
  };
}

export type AccountRepository = ReturnType<typeof accountRepository>;
