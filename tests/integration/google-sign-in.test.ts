import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/processes.js';
import { startLocalFunctions, type LocalFunctions } from '../../dev/local-functions.js';
import { startOidcServer, type OidcServer } from '../../dev/oidc-server.js';
import { FirestoreSessionStore } from '../../shared/adapters/firestore/firestore-session.store.js';
import { testFirestore, testProjectId, useEmulatorEnv } from '../support/emulator-env.js';
import { ManualClock } from '../support/in-memory.js';
import { oidcEnv } from '../support/fixtures.js';

/**
 * Google sign-in, end to end over real HTTP: our `auth` function (in-process, on the
 * Firestore emulator) against a local OpenID Connect provider on loopback, with the
 * browser's part (following redirects, keeping the cookie) played by fetch.
 */
const projectId = testProjectId('signin');
const FRONTEND = 'http://127.0.0.1:5173';
let oidc: OidcServer;
let fns: LocalFunctions;
let db: Firestore;

type Token = { payload: Record<string, unknown> };
type TokenResponse = { body: Record<string, unknown>; statusCode: number };

beforeAll(async () => {
  oidc = await startOidcServer({ port: 0 });
  const port = await freePort();
  useEmulatorEnv(projectId, {
    ...oidcEnv(oidc, port),
    FRONTEND_URL: FRONTEND,
    AUTH_REDIRECT_PATHS: '/,/app',
    // Many sign-ins from one address in a few seconds: lift the sign-in limit for this file
    // (the limit itself is tested in rate-limit.test.ts).
    RATE_LIMIT_SIGNIN: '1000,1000,60',
  });
  fns = await startLocalFunctions({ port, projectId });
  db = await testFirestore(projectId);
});

afterAll(async () => {
  await fns?.close();
  await oidc?.close();
  await db?.terminate();
});

const cookieOf = (res: Response): string | undefined => res.headers.get('set-cookie')?.split(';')[0];

/** Begins a sign-in; returns the pending cookie and the provider URL. */
async function begin(redirectPath?: string): Promise<{ cookie: string; url: URL; res: Response }> {
  const res = await fetch(`${fns.url}/auth/google/begin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(redirectPath === undefined ? {} : { redirectPath }),
  });
  const body = (await res.json()) as { authorizationUrl?: string };
  return { cookie: cookieOf(res) ?? '', url: new URL(body.authorizationUrl ?? 'http://invalid/'), res };
}

/** The browser at the provider: it redirects straight back to our callback with a code. */
async function authorize(url: URL, loginHint = 'asha@example.com'): Promise<URL> {
  url.searchParams.set('login_hint', loginHint);
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function callback(callbackUrl: URL, cookie: string): Promise<{ status: number; location: URL; cookie: string | undefined }> {
  const res = await fetch(callbackUrl, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  await res.body?.cancel();
  return { status: res.status, location: new URL(res.headers.get('location') ?? 'http://none/'), cookie: cookieOf(res) };
}

async function signIn(email = 'asha@example.com'): Promise<string> {
  const b = await begin('/app');
  const cb = await callback(await authorize(b.url, email), b.cookie);
  expect(cb.location.searchParams.get('signin_error')).toBeNull();
  return cb.cookie!;
}

const whoAmI = async (cookie: string) => fetch(`${fns.url}/auth/session`, { headers: { cookie } });

describe('Google sign-in (authorization code + PKCE, state, nonce)', () => {
  it('signs in through the provider and lands on the allowed path with a session cookie', async () => {
    const b = await begin('/app/settings');
    expect(b.res.status).toBe(200);
    expect(b.cookie).toMatch(/^__session=pre\./);
    expect(b.url.origin).toBe(new URL(oidc.authorizationEndpoint).origin);
    expect(b.url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(b.url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.url.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.url.searchParams.get('scope')).toBe('openid email profile');

    const cb = await callback(await authorize(b.url), b.cookie);
    expect(cb.status).toBe(303);
    expect(cb.location.toString()).toBe(`${FRONTEND}/app/settings`);
    expect(cb.cookie).toMatch(/^__session=[A-Za-z0-9_-]{43}$/);
    const me = await whoAmI(cb.cookie!);
    expect(me.status).toBe(200);
    const { uid } = (await me.json()) as { uid: string };
    // The user is keyed by (issuer, subject), with the verified email kept.
    const user = (await db.doc(`users/${uid}`).get()).data()!;
    expect(user).toMatchObject({ issuer: oidc.issuer, email: 'asha@example.com' });
    expect(user.subject).toBeTruthy();
  });

  it('issues a new session token at every sign-in, for the same user', async () => {
    const a = await signIn('ravi@example.com');
    const b = await signIn('ravi@example.com');
    expect(a).not.toBe(b);
    const [ua, ub] = await Promise.all([whoAmI(a).then((r) => r.json()), whoAmI(b).then((r) => r.json())]);
    expect(ua).toEqual(ub);
  });

  it.each([
    ['a wrong aud', 'AUTH.ID_TOKEN_INVALID', (p: Record<string, unknown>) => (p.aud = 'someone-else')],
    ['a wrong iss', 'AUTH.ID_TOKEN_INVALID', (p: Record<string, unknown>) => (p.iss = 'https://evil.example')],
    ['an expired token', 'AUTH.ID_TOKEN_INVALID', (p: Record<string, unknown>) => Object.assign(p, { iat: Math.floor(Date.now() / 1000) - 7_200, exp: Math.floor(Date.now() / 1000) - 3_600 })],
    ['a missing nonce', 'AUTH.NONCE_MISMATCH', (p: Record<string, unknown>) => delete p.nonce],
    ['a wrong nonce', 'AUTH.NONCE_MISMATCH', (p: Record<string, unknown>) => (p.nonce = 'not-our-nonce')],
    ['an unverified email', 'AUTH.EMAIL_UNVERIFIED', (p: Record<string, unknown>) => (p.email_verified = false)],
  ])('refuses %s (%s) and creates no session', async (_label, code, change) => {
    const b = await begin('/app');
    const cbUrl = await authorize(b.url);
    const handler = (token: Token) => {
      if ('nonce' in token.payload || token.payload.aud === 'ffai-local-client') change(token.payload);
    };
    oidc.service.on('beforeTokenSigning', handler);
    try {
      const cb = await callback(cbUrl, b.cookie);
      expect(cb.status).toBe(303);
      expect(cb.location.searchParams.get('signin_error')).toBe(code);
      expect(cb.cookie).toBe('__session=');
    } finally {
      oidc.service.off('beforeTokenSigning', handler);
    }
  });

  it('refuses a tampered signature', async () => {
    const b = await begin('/app');
    const cbUrl = await authorize(b.url);
    oidc.service.once('beforeResponse', (res: TokenResponse) => {
      const [h, p, sig] = String(res.body.id_token).split('.');
      const flipped = `${sig!.slice(0, 10)}${sig![10] === 'A' ? 'B' : 'A'}${sig!.slice(11)}`;
      res.body.id_token = `${h}.${p}.${flipped}`;
    });
    const cb = await callback(cbUrl, b.cookie);
    expect(cb.location.searchParams.get('signin_error')).toBe('AUTH.ID_TOKEN_INVALID');
  });

  it('refuses a wrong state, and a callback without the pending cookie', async () => {
    const b = await begin('/app');
    const cbUrl = await authorize(b.url);
    const forged = new URL(cbUrl);
    forged.searchParams.set('state', 'x'.repeat(43));
    expect((await callback(forged, b.cookie)).location.searchParams.get('signin_error')).toBe('AUTH.STATE_MISMATCH');
    // The pending sign-in was consumed by that attempt: the genuine callback cannot follow.
    expect((await callback(cbUrl, b.cookie)).location.searchParams.get('signin_error')).toBe('AUTH.STATE_MISMATCH');
    const b2 = await begin('/app');
    expect((await callback(await authorize(b2.url), '')).location.searchParams.get('signin_error')).toBe('AUTH.STATE_MISMATCH');
  });

  it('refuses a replayed code', async () => {
    const b = await begin('/app');
    const cbUrl = await authorize(b.url);
    expect((await callback(cbUrl, b.cookie)).location.searchParams.get('signin_error')).toBeNull();
    // Replaying the same callback: the pending sign-in is gone.
    expect((await callback(cbUrl, b.cookie)).location.searchParams.get('signin_error')).toBe('AUTH.STATE_MISMATCH');
    // Replaying the code under a fresh, genuine sign-in: the provider refuses the used code.
    const b2 = await begin('/app');
    const fresh = await authorize(b2.url);
    const replay = new URL(fresh);
    replay.searchParams.set('code', cbUrl.searchParams.get('code')!);
    expect((await callback(replay, b2.cookie)).location.searchParams.get('signin_error')).toBe('AUTH.CODE_REJECTED');
  });

  it('refuses a code issued for another PKCE challenge (wrong verifier)', async () => {
    const b = await begin('/app');
    b.url.searchParams.set('code_challenge', 'Q'.repeat(43));
    const cb = await callback(await authorize(b.url), b.cookie);
    expect(cb.location.searchParams.get('signin_error')).toBe('AUTH.CODE_REJECTED');
    expect(cb.cookie).toBe('__session=');
  });

  it.each(['https://evil.example/app', '//evil.example/app', '/admin', '/app/../admin', '/app\\\\evil', 'javascript:alert(1)'])(
    'refuses the post-login path %s (400, naming redirectPath)',
    async (path) => {
      const b = await begin(path);
      expect(b.res.status).toBe(400);
      expect(b.cookie).toBe('');
    },
  );
});

describe('sessions', () => {
  it('lists your sessions, ends another one, and logout ends the current one server-side', async () => {
    const first = await signIn('meera@example.com');
    const second = await signIn('meera@example.com');
    const list = (await (await fetch(`${fns.url}/auth/sessions`, { headers: { cookie: second } })).json()) as { sessions: Array<{ id: string; current: boolean }> };
    expect(list.sessions).toHaveLength(2);
    expect(list.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(first.slice('__session='.length));
    const other = list.sessions.find((s) => !s.current)!;
    expect((await fetch(`${fns.url}/auth/sessions/${other.id}`, { method: 'DELETE', headers: { cookie: second } })).status).toBe(204);
    expect((await whoAmI(first)).status).toBe(401);
    expect((await whoAmI(second)).status).toBe(200);
    // Someone else's session id is not found.
    const stranger = await signIn('kabir@example.com');
    expect((await fetch(`${fns.url}/auth/sessions/${list.sessions.find((s) => s.current)!.id}`, { method: 'DELETE', headers: { cookie: stranger } })).status).toBe(404);

    // As the PWA sends it: a JSON POST (a signed-in POST without Origin must be JSON: CSRF rule).
    expect((await fetch(`${fns.url}/auth/logout`, { method: 'POST', headers: { cookie: second, 'content-type': 'application/json' }, body: '{}' })).status).toBe(204);
    expect((await whoAmI(second)).status).toBe(401);
  });

  it.each([
    ['a forged token', '__session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a malformed token', '__session=../../etc/passwd'],
    ['a pending sign-in token', '__session=pre.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['no cookie at all', ''],
  ])('refuses %s (401)', async (_label, cookie) => {
    expect((await whoAmI(cookie)).status).toBe(401);
  });

  it('expires after the idle timeout and at the absolute lifetime (controllable clock)', async () => {
    const store = new FirestoreSessionStore(db);
    const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
    const clock = new ManualClock(Date.parse('2026-11-24T00:00:00Z'));
    const idle = await store.create('user-idle-01', clock.now(), policy);
    clock.advance(29 * 60_000);
    expect(await store.resolve(idle.token, clock.now(), policy)).not.toBeNull(); // touched
    clock.advance(29 * 60_000);
    expect(await store.resolve(idle.token, clock.now(), policy)).not.toBeNull(); // still within 30 min of the last use
    clock.advance(31 * 60_000);
    expect(await store.resolve(idle.token, clock.now(), policy)).toBeNull(); // idle too long
    expect(await store.resolve(idle.token, clock.now(), policy)).toBeNull(); // and deleted

    const busy = await store.create('user-abs-01', clock.now(), policy);
    for (let h = 0; h < 12; h++) {
      clock.advance(25 * 60_000);
      expect(await store.resolve(busy.token, clock.now(), policy), `after ${h}`).not.toBeNull();
      clock.advance(25 * 60_000);
      await store.resolve(busy.token, clock.now(), policy);
    }
    clock.advance(60 * 60_000);
    expect(await store.resolve(busy.token, clock.now(), policy)).toBeNull(); // past 12 h, however active
  });

  it('ends every session of a user at once (what deleting the user does)', async () => {
    const a = await signIn('leaving@example.com');
    const b = await signIn('leaving@example.com');
    const { uid } = (await (await whoAmI(a)).json()) as { uid: string };
    expect(await new FirestoreSessionStore(db).revokeAll(uid)).toBe(2);
    expect((await whoAmI(a)).status).toBe(401);
    expect((await whoAmI(b)).status).toBe(401);
  });

  it('stores only the SHA-256 of a session token', async () => {
    const token = (await signIn('hash@example.com')).slice('__session='.length);
    const raw = JSON.stringify((await db.collection('sessions').get()).docs.map((d) => [d.id, d.data()]));
    expect(raw).not.toContain(token);
  });
});
