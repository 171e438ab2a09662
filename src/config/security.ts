/**
 * Security settings: session lifetimes, sign-in throttling, API rate limits, body size and
 * cookie flags. Defaults are safe for a firm's server; every value can be set from the
 * environment (documented in docs/security.md).
 */
export interface SecurityConfig {
  /** A session ends after this long without a request. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however busy. */
  sessionAbsoluteMs: number;
  /** Failed sign-ins for one email address within the window before it is locked. */
  loginMaxFailuresPerAccount: number;
  /** Failed sign-ins from one IP address within the window before it is locked. */
  loginMaxFailuresPerIp: number;
  /** How far back failures count. */
  loginWindowMs: number;
  /** How long a lockout lasts. */
  loginLockoutMs: number;
  /** API requests per minute for one session, token or (unauthenticated) IP; null = no limit. */
  rateLimitPerMinute: number | null;
  /** API requests per minute without credentials (sign-in), per IP; null = no limit. */
  rateLimitAnonymousPerMinute: number | null;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Cookies marked Secure and HSTS sent: on when the server is reached over HTTPS. */
  secureCookies: boolean;
  /** Take the client's IP address from X-Forwarded-For: on behind a reverse proxy only. */
  trustProxy: boolean;
}

const MINUTE = 60 * 1000;

export const DEFAULT_SECURITY: SecurityConfig = {
  sessionIdleMs: 120 * MINUTE,
  sessionAbsoluteMs: 12 * 60 * MINUTE,
  loginMaxFailuresPerAccount: 5,
  loginMaxFailuresPerIp: 30,
  loginWindowMs: 15 * MINUTE,
  loginLockoutMs: 15 * MINUTE,
  // A bulk client saving 1,000 validated entries a second sends 60,000 requests a minute.
  rateLimitPerMinute: 120_000,
  rateLimitAnonymousPerMinute: 300,
  bodyLimitBytes: 10 * 1024 * 1024,
  secureCookies: false,
  trustProxy: false,
};

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number above 0, got "${text}".`);
  return value;
}

function limit(env: NodeJS.ProcessEnv, name: string): number | null | undefined {
  if (env[name] === 'off') return null;
  return positiveInteger(env, name);
}

/** Reads the security settings from the environment; a malformed value throws naming the variable. */
export function securityFromEnv(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const minutes = (name: string) => {
    const value = positiveInteger(env, name);
    return value === undefined ? undefined : value * MINUTE;
  };
  const rateLimitOff = env.MATTERFLOW_RATE_LIMIT === 'off';
  if (env.MATTERFLOW_RATE_LIMIT !== undefined && env.MATTERFLOW_RATE_LIMIT !== 'off')
    throw new Error(
      `MATTERFLOW_RATE_LIMIT accepts only "off", got "${env.MATTERFLOW_RATE_LIMIT}".`,
    );
  const config: SecurityConfig = {
    sessionIdleMs: minutes('MATTERFLOW_SESSION_IDLE_MINUTES') ?? DEFAULT_SECURITY.sessionIdleMs,
    sessionAbsoluteMs:
      minutes('MATTERFLOW_SESSION_ABSOLUTE_MINUTES') ?? DEFAULT_SECURITY.sessionAbsoluteMs,
    loginMaxFailuresPerAccount:
      positiveInteger(env, 'MATTERFLOW_LOGIN_MAX_FAILURES') ??
      DEFAULT_SECURITY.loginMaxFailuresPerAccount,
    loginMaxFailuresPerIp:
      positiveInteger(env, 'MATTERFLOW_LOGIN_MAX_FAILURES_PER_IP') ??
      DEFAULT_SECURITY.loginMaxFailuresPerIp,
    loginWindowMs: minutes('MATTERFLOW_LOGIN_WINDOW_MINUTES') ?? DEFAULT_SECURITY.loginWindowMs,
    loginLockoutMs: minutes('MATTERFLOW_LOGIN_LOCKOUT_MINUTES') ?? DEFAULT_SECURITY.loginLockoutMs,
    rateLimitPerMinute: rateLimitOff
      ? null
      : (limit(env, 'MATTERFLOW_RATE_LIMIT_PER_MINUTE') ?? DEFAULT_SECURITY.rateLimitPerMinute),
    rateLimitAnonymousPerMinute: rateLimitOff
      ? null
      : (limit(env, 'MATTERFLOW_RATE_LIMIT_ANONYMOUS_PER_MINUTE') ??
        DEFAULT_SECURITY.rateLimitAnonymousPerMinute),
    bodyLimitBytes:
      positiveInteger(env, 'MATTERFLOW_BODY_LIMIT_BYTES') ?? DEFAULT_SECURITY.bodyLimitBytes,
    secureCookies: env.MATTERFLOW_SECURE_COOKIES === 'true',
    trustProxy: env.MATTERFLOW_TRUST_PROXY === 'true',
  };
  if (config.sessionIdleMs > config.sessionAbsoluteMs)
    throw new Error(
      'MATTERFLOW_SESSION_IDLE_MINUTES must not exceed MATTERFLOW_SESSION_ABSOLUTE_MINUTES.',
    );
  return config;
}
