'use strict';
// A real, independently written OAuth 2.0 / OpenID Connect authorization server (panva's oidc-provider) for
// authsome's tests. Everything is in memory: a restart forgets tokens and registered clients.
//
//   node server.js --port 0 [--access-token-ttl 3600]
//
// Prints one line `listening http://127.0.0.1:PORT` on stdout when ready. Besides the standard endpoints it serves
// a few test-only ones under /test/:
//   GET  /test/counters            {"token": {"<grant_type>": n, ...}, "revocation": n, "registration": n,
//                                   "by_client": {"<client_id>": {"<grant_type or revocation>": n}}}
//   POST /test/counters/reset
//   POST /test/config?access_token_ttl=N   changes the lifetime of access tokens issued from now on
//   POST /test/config?refresh_delay_ms=N   holds every refresh_token grant response N ms (after the grant was
//                                          processed), so a test can act while a refresh is in flight
//   POST /test/config?refresh_error=CODE   answers refresh_token grants with this OAuth error (empty: stop); the
//                                          grant was processed, so the refresh token presented is used up
//   GET  /test/counters also reports "token_in_flight": token requests received and not yet answered
//   POST /test/clients/delete?client_id=X  deletes a dynamically registered client, as an administrator deleting an
//                                          app at the provider would: its tokens then fail client authentication
// Static clients (see CLIENTS below) cover public, client_secret_basic and client_secret_post clients.

const http = require('node:http');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const env = process.env[`OIDC_${name.toUpperCase().replace(/-/g, '_')}`];
  return env !== undefined ? env : fallback;
}

let accessTokenTtl = Number(arg('access-token-ttl', '3600'));
let refreshDelayMs = 0;
let refreshError = '';
let tokenInFlight = 0;
const counters = { token: {}, revocation: 0, registration: 0, device_authorization: 0, by_client: {} };

function countByClient(ctx, what) {
  // the authenticated client, else the client_id the request claimed (a failed client authentication)
  const id = (ctx.oidc && ctx.oidc.client && ctx.oidc.client.clientId)
    || (ctx.oidc && ctx.oidc.params && ctx.oidc.params.client_id) || 'unknown';
  const entry = counters.by_client[id] || (counters.by_client[id] = {});
  entry[what] = (entry[what] || 0) + 1;
}

const LOOPBACK_REDIRECT = 'http://127.0.0.1/auth/callback/oauth';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const CLIENTS = [
  {
    // A public native client: loopback redirect on any port (RFC 8252), PKCE, no secret.
    client_id: 'public-cli',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: [LOOPBACK_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT, TOKEN_EXCHANGE_GRANT],
    response_types: ['code'],
  },
  {
    client_id: 'confidential-basic',
    client_secret: 'basic-secret-0123456789',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [LOOPBACK_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_GRANT],
    response_types: ['code'],
    scope: 'openid offline_access email profile api:read api:write',
  },
  {
    client_id: 'confidential-post',
    client_secret: 'post-secret-0123456789',
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [LOOPBACK_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    scope: 'openid offline_access email profile api:read api:write',
  },
  {
    // The resource server that asks the introspection endpoint whether a token is still active.
    client_id: 'introspector',
    client_secret: 'introspector-secret-0123456789',
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [],
    grant_types: [],
    response_types: [],
  },
];

async function main() {
  const { default: Provider, errors } = await import('oidc-provider');
  const port = Number(arg('port', '0'));
  const server = http.createServer();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: CLIENTS,
    cookies: { keys: ['authsome-test-cookie-key'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'api:read', 'api:write'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@example.test`, email_verified: true, name: `User ${id}`, preferred_username: id };
        },
      };
    },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      registration: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
    },
    pkce: { required: () => true },
    // Refresh tokens whenever the client may use them, not only with offline_access + prompt=consent.
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Always rotate, so that replaying a used refresh token revokes the grant (RFC 9700 section 4.14).
    rotateRefreshToken: () => true,
    clockTolerance: 0,
    ttl: {
      AccessToken: () => accessTokenTtl,
      ClientCredentials: () => accessTokenTtl,
      AuthorizationCode: 120,
      DeviceCode: 600,
      IdToken: 3600,
      RefreshToken: 86400,
      Grant: 86400,
      Interaction: 3600,
      Session: 86400,
    },
  });
  // RFC 8693 token exchange (oidc-provider has no built-in handler): a valid access token of this server is
  // exchanged for a new one for the same account, issued to the calling client. Used by the third-party flow example.
  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, async (ctx) => {
    const { subject_token: subjectToken, subject_token_type: subjectType } = ctx.oidc.params;
    if (subjectType !== ACCESS_TOKEN_TYPE) {
      throw new errors.InvalidRequest('subject_token_type must be ' + ACCESS_TOKEN_TYPE);
    }
    const subject = await provider.AccessToken.find(subjectToken);
    if (!subject || subject.isExpired) {
      throw new errors.InvalidGrant('subject_token is not an active access token');
    }
    const { client } = ctx.oidc;
    const grant = new provider.Grant({ accountId: subject.accountId, clientId: client.clientId });
    grant.addOIDCScope('openid');
    const grantId = await grant.save();
    const token = new provider.AccessToken({ accountId: subject.accountId, client, grantId, scope: 'openid',
      gty: 'token_exchange' });
    const value = await token.save();
    ctx.body = { access_token: value, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer',
      expires_in: token.expiration };
  }, ['subject_token', 'subject_token_type', 'scope', 'audience', 'resource']);

  provider.on('server_error', (ctx, err) => console.error('server_error', err));

  provider.use(async (ctx, next) => {
    const isToken = ctx.method === 'POST' && ctx.path === '/token';
    // what the knobs say when the request arrives, so a test can change them while it is held
    const delay = refreshDelayMs;
    const error = refreshError;
    if (isToken) tokenInFlight += 1;
    try {
      await next();
    } finally {
      if (ctx.method === 'POST') {
        if (ctx.path === '/token') {
          const grant = (ctx.oidc && ctx.oidc.params && ctx.oidc.params.grant_type) || 'unknown';
          counters.token[grant] = (counters.token[grant] || 0) + 1;
          countByClient(ctx, grant);
          if (grant === 'refresh_token') {
            if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
            if (error) {
              ctx.status = 400;
              ctx.body = { error, error_description: 'refused by the test server (refresh_error)' };
            }
          }
          tokenInFlight -= 1;
        } else if (ctx.path === '/token/revocation') {
          counters.revocation += 1;
          countByClient(ctx, 'revocation');
        } else if (ctx.path === '/reg') {
          counters.registration += 1;
        } else if (ctx.path === '/device/auth') {
          counters.device_authorization += 1;
        }
      }
    }
  });

  const oidc = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/test/counters' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...counters, token_in_flight: tokenInFlight }));
    } else if (url.pathname === '/test/counters/reset' && req.method === 'POST') {
      counters.token = {};
      counters.revocation = 0;
      counters.registration = 0;
      counters.device_authorization = 0;
      counters.by_client = {};
      res.writeHead(204);
      res.end();
    } else if (url.pathname === '/test/config' && req.method === 'POST') {
      if (url.searchParams.has('access_token_ttl')) accessTokenTtl = Number(url.searchParams.get('access_token_ttl'));
      if (url.searchParams.has('refresh_delay_ms')) refreshDelayMs = Number(url.searchParams.get('refresh_delay_ms'));
      if (url.searchParams.has('refresh_error')) refreshError = url.searchParams.get('refresh_error');
      res.writeHead(204);
      res.end();
    } else if (url.pathname === '/test/clients/delete' && req.method === 'POST') {
      const id = url.searchParams.get('client_id') || '';
      if (CLIENTS.some((c) => c.client_id === id)) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'static clients cannot be deleted' }));
        return;
      }
      provider.Client.adapter.destroy(id).then(() => {
        res.writeHead(204);
        res.end();
      }, (err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    } else {
      oidc(req, res);
    }
  });

  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`listening ${issuer}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
