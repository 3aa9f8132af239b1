import type { OAuth2Client } from 'google-auth-library';
import { AppError } from '../../domain/errors.js';
import type { AuthorizationRequest, IdentityProvider, VerifiedIdToken } from '../../ports/identity.js';

export interface OidcSettings {
  /** The expected `iss` of ID tokens (Google: `https://accounts.google.com`). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Our callback, registered with the provider. */
  readonly redirectUri: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  /** Where the provider's signing certificates are served as `{kid: PEM}`. */
  readonly pemCertsUrl: string;
  /** Bound on each call to the provider. */
  readonly timeoutMs?: number;
}

/**
 * An OpenID Connect provider through `google-auth-library`'s `OAuth2Client`, whose endpoints
 * and issuers are configurable: Google in production, a local OIDC server elsewhere.
 * `verifyIdToken` checks the signature (certificates fetched and cached by the library), the
 * audience, the issuer and the expiry; the caller checks the nonce and the verified email.
 */
export class OidcIdentityProvider implements IdentityProvider {
  private client: OAuth2Client | undefined;

  constructor(
    private readonly settings: OidcSettings,
    /** Built once, at first use, so the SDK is not loaded by functions that never sign in. */
    private readonly make: (settings: OidcSettings) => OAuth2Client,
  ) {}

  /** Loads google-auth-library and builds the adapter. */
  static async create(settings: OidcSettings): Promise<OidcIdentityProvider> {
    const { OAuth2Client } = await import('google-auth-library');
    return new OidcIdentityProvider(
      settings,
      (s) =>
        new OAuth2Client({
          clientId: s.clientId,
          clientSecret: s.clientSecret,
          redirectUri: s.redirectUri,
          endpoints: { oauth2AuthBaseUrl: s.authorizationEndpoint, oauth2TokenUrl: s.tokenEndpoint, oauth2FederatedSignonPemCertsUrl: s.pemCertsUrl },
          issuers: [s.issuer],
        }),
    );
  }

  private oauth(): OAuth2Client {
    return (this.client ??= this.make(this.settings));
  }

  authorizationUrl(r: AuthorizationRequest): string {
    return this.oauth().generateAuthUrl({
      response_type: 'code',
      scope: ['openid', 'email', 'profile'],
      state: r.state,
      nonce: r.nonce,
      code_challenge: r.codeChallenge,
      // The library's enum value is the string 'S256'.
      code_challenge_method: 'S256' as never,
      prompt: 'select_account',
    });
  }

  async redeem(code: string, codeVerifier: string): Promise<VerifiedIdToken> {
    let idToken: string | null | undefined;
    try {
      const { tokens } = await this.oauth().getToken({ code, codeVerifier, redirect_uri: this.settings.redirectUri });
      idToken = tokens.id_token;
    } catch (e) {
      const status = (e as { response?: { status?: number }; status?: number }).response?.status ?? (e as { status?: number }).status;
      if (status !== undefined && status >= 400 && status < 500) throw new AppError('AUTH.CODE_REJECTED', 'The sign-in code was refused by the identity provider');
      throw new AppError('DEPENDENCY.UNAVAILABLE', 'The identity provider is unavailable', { retryable: true, cause: e });
    }
    if (!idToken) throw new AppError('AUTH.ID_TOKEN_INVALID', 'The identity provider returned no ID token');
    let payload;
    try {
      const ticket = await this.oauth().verifyIdToken({ idToken, audience: this.settings.clientId });
      payload = ticket.getPayload();
    } catch {
      // The library's message says which check failed; it may quote the token, so it is not passed on.
      throw new AppError('AUTH.ID_TOKEN_INVALID', 'The ID token failed verification (signature, issuer, audience or expiry)');
    }
    if (!payload?.sub || payload.iss !== this.settings.issuer) throw new AppError('AUTH.ID_TOKEN_INVALID', 'The ID token has no subject or a wrong issuer');
    return {
      issuer: payload.iss,
      subject: payload.sub,
      ...(payload.email ? { email: payload.email } : {}),
      emailVerified: payload.email_verified === true,
      ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}),
      ...(payload.name ? { name: payload.name } : {}),
    };
  }
}
