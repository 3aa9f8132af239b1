import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { OidcServer } from '../../dev/oidc-server.js';

/** A complete, valid production environment (nothing in it is a real project or secret). */
export const PRODUCTION_ENV = {
  APP_ENV: 'production',
  GCP_PROJECT_ID: 'ffai-prod-123',
  KMS_KEY_NAME: 'projects/ffai-prod-123/locations/asia-south1/keyRings/ffai/cryptoKeys/secrets',
  OIDC_CLIENT_ID: 'client-123.apps.googleusercontent.com',
  OIDC_REDIRECT_URI: 'https://app.example.com/auth/google/callback',
  FRONTEND_URL: 'https://app.example.com',
} as const;

/** Sign-in pointed at a local OIDC server, with our callback on `callbackPort`. */
export const oidcEnv = (oidc: OidcServer, callbackPort: number): Record<string, string> => ({
  OIDC_ISSUER: oidc.issuer,
  OIDC_AUTHORIZATION_ENDPOINT: oidc.authorizationEndpoint,
  OIDC_TOKEN_ENDPOINT: oidc.tokenEndpoint,
  OIDC_CERTS_URL: oidc.pemCertsUrl,
  OIDC_CLIENT_ID: 'ffai-local-client',
  OIDC_REDIRECT_URI: `http://127.0.0.1:${callbackPort}/auth/google/callback`,
  OAUTH_CLIENT_SECRET: 'local-only-not-a-secret',
});

/** Serves a registered function on a loopback port through the framework's own server. */
export async function serveRegistered(name: string, servers: Array<{ close: () => void }>): Promise<string> {
  const server = getTestServer(name);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
