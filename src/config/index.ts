import { createPrivateKey, createPublicKey } from "node:crypto";
import { z } from "zod";

/** Deployment environment; production switches on the secure defaults. */
const nodeEnv = z.enum(["development", "test", "production"]).default("development");

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
  .transform((value) => ["true", "1", "yes", "on"].includes(value));

// Every environment variable the gateway reads, with its default. `.env.example` documents the same list.
const envSchema = z.object({
  NODE_ENV: nodeEnv,
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  DATABASE_MIGRATE_ON_START: booleanString.optional(),
  DATABASE_SEED_ON_START: booleanString.optional(),
  SEED_SCALE: z.coerce.number().positive().max(100).default(1),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  JWT_ISSUER: z.string().min(1).default("graphql-gateway"),
  JWT_AUDIENCE: z.string().min(1).default("graphql-gateway-clients"),
  JWT_PRIVATE_KEY: z
    .string()
    .refine(isEd25519PrivateKey, { message: "must be an Ed25519 private key in PKCS#8 PEM form" })
    .optional(),
  JWT_VERIFICATION_KEYS: z
    .string()
    .transform(splitPems)
    .refine((pems) => pems.every(isEd25519PublicKey), {
      message: "must be Ed25519 public keys in SPKI PEM form (-----BEGIN PUBLIC KEY-----), one after another",
    })
    .optional(),
  MAIL_FROM: z.string().min(3).default("Gateway <no-reply@localhost>"),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  PASSWORD_RESET_URL: z.string().url().default("http://localhost:3000/reset-password"),
  DATALOADER_BATCH: booleanString.default(true),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

/** Names of every variable read; `.env.example` must document exactly these (a contract test checks). */
export const configVariables = Object.keys(envSchema.shape);

export type Config = Readonly<{
  env: "development" | "test" | "production";
  isProduction: boolean;
  http: Readonly<{ host: string; port: number; shutdownGraceMs: number }>;
  log: Readonly<{ level: string }>;
  database: Readonly<{
    /** A PostgreSQL server; when absent, PostgreSQL runs in-process (PGlite) in `pgliteDir`. */
    url: string | undefined;
    pgliteDir: string;
    poolSize: number;
    migrateOnStart: boolean;
    seedOnStart: boolean;
    seedScale: number;
  }>;
  redis: Readonly<{ url: string | undefined }>;
  auth: Readonly<{
    issuer: string;
    audience: string;
    privateKeyPem: string | undefined;
    verificationKeyPems: readonly string[];
  }>;
  mail: Readonly<{
    from: string;
    /** Deliver through this SMTP server; without it, e-mails are written to the log (development). */
    smtpUrl: string | undefined;
    /** Page of the client app that completes a reset; the token is appended as `?token=`. */
    passwordResetUrl: string;
  }>;
  /** Off only to measure what batching buys (bench); every relation then costs one statement per parent. */
  dataloaderBatch: boolean;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd` usage.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";
  const embedded = e.DATABASE_URL === undefined;

  const problems: string[] = [];
  if (isProduction && !e.JWT_PRIVATE_KEY) {
    problems.push("JWT_PRIVATE_KEY: required in production (an Ed25519 key in PKCS#8 PEM form)");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return deepFreeze({
    env: e.NODE_ENV,
    isProduction,
    http: {
      // Outside production listen on loopback only, so a laptop never exposes a dev server with a dev key.
      host: e.HOST ?? (isProduction ? "0.0.0.0" : "127.0.0.1"),
      port: e.PORT,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    },
    log: { level: e.LOG_LEVEL },
    database: {
      url: e.DATABASE_URL,
      pgliteDir: e.PGLITE_DIR,
      poolSize: e.DATABASE_POOL_SIZE,
      // The embedded database is ours to manage; a real server is migrated by a deploy step (npm run db:migrate).
      migrateOnStart: e.DATABASE_MIGRATE_ON_START ?? embedded,
      seedOnStart: e.DATABASE_SEED_ON_START ?? embedded,
      seedScale: e.SEED_SCALE,
    },
    redis: { url: e.REDIS_URL },
    auth: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      privateKeyPem: e.JWT_PRIVATE_KEY,
      verificationKeyPems: e.JWT_VERIFICATION_KEYS ?? [],
    },
    mail: { from: e.MAIL_FROM, smtpUrl: e.SMTP_URL, passwordResetUrl: e.PASSWORD_RESET_URL },
    dataloaderBatch: e.DATALOADER_BATCH,
  });
}

function splitPems(text: string): string[] {
  return text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
}

function isEd25519PrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

function isEd25519PublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child && typeof child === "object") deepFreeze(child);
  }
  return Object.freeze(value);
}
