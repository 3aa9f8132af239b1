import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

/**
 * A local OpenID Connect provider standing in for Google sign-in, on
 * `oauth2-mock-server`: `/authorize` (redirects straight back with a code; no login page),
 * `/token` (PKCE S256 enforced, codes single use), `/jwks`, and the extra route
 * `google-auth-library` needs, `/oauth2/v1/certs`, serving the signing keys as `{kid: PEM}`.
 *
 * Identity: the `login_hint` of the authorization request names the user (an email);
 * without one it is the demo user. Subjects are stable per email. `service` is exposed so
 * tests can tamper with tokens (the provider's events).
 */
export interface OidcServer {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly pemCertsUrl: string;
  readonly service: OAuth2Service;
  close(): Promise<void>;
}

export const DEMO_IDENTITY_EMAIL = 'demo@futurefinance.local';

export async function startOidcServer(options: { port: number; host?: string }): Promise<OidcServer> {
  const host = options.host ?? '127.0.0.1';
  const issuer = new OAuth2Issuer();
  await issuer.keys.generate('RS256');
  const service = new OAuth2Service(issuer);
  const emailByCode = new Map<string, string>();

  service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: { url?: string }) => {
    const hint = new URL(req.url ?? '/', 'http://local').searchParams.get('login_hint');
    const code = redirect.url.searchParams.get('code');
    if (!code) return;
    emailByCode.set(code, hint && /^[^\s@]+@[^\s@]+$/.test(hint) ? hint.toLowerCase() : DEMO_IDENTITY_EMAIL);
    // Codes are single use; keep the map bounded however many sign-ins a dev session makes.
    if (emailByCode.size > 1_000) emailByCode.delete(emailByCode.keys().next().value!);
  });
  service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: { body?: Record<string, unknown> }) => {
    const code = typeof req.body?.code === 'string' ? req.body.code : undefined;
    if (!code || req.body?.grant_type !== 'authorization_code') return;
    const email = emailByCode.get(code) ?? DEMO_IDENTITY_EMAIL;
    // Runs after the library's own transform, so this replaces its fixed "johndoe" subject.
    Object.assign(token.payload, { sub: subjectFor(email), email, email_verified: true, name: email.split('@')[0] });
  });

  const pems = (): Record<string, string> =>
    Object.fromEntries(
      (issuer.keys.toJSON() as Array<JsonWebKey & { kid: string }>).map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()]),
    );

  const handler = service.requestHandler;
  const server: Server = createServer((req, res) => {
    if (req.url === '/oauth2/v1/certs') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' }).end(JSON.stringify(pems()));
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const base = `http://${host}:${(server.address() as AddressInfo).port}`;
  issuer.url = base;
  return {
    issuer: base,
    authorizationEndpoint: `${base}/authorize`,
    tokenEndpoint: `${base}/token`,
    pemCertsUrl: `${base}/oauth2/v1/certs`,
    service,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A stable subject for an email, so a user signing in twice is the same user. */
export const subjectFor = (email: string): string => createHash('sha256').update(email).digest('hex').slice(0, 21);
