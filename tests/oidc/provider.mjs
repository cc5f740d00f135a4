// A real OpenID Connect provider for the tests (node's oidc-provider, a devDependency in package.json), on loopback.
// It plays the city's identity provider: its own login form checks a password, then it grants the portal's
// client the scopes it asked for (a first-party client: no consent screen) and answers the token, userinfo and
// JWKS requests as any provider does. Configured from the environment:
//   OIDC_TEST_PORT, OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URI,
//   OIDC_TEST_ACCOUNTS: {"<login>": {"password": "...", "claims": {...}}}, or OIDC_TEST_ACCOUNTS_FILE: a file
//   holding the same, read at every sign-in (a test changes a person's claims at the provider by rewriting it).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_TEST_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsFile = process.env.OIDC_TEST_ACCOUNTS_FILE;
const fixedAccounts = accountsFile ? null : JSON.parse(process.env.OIDC_TEST_ACCOUNTS);
const current = () => fixedAccounts ?? JSON.parse(readFileSync(accountsFile, 'utf8'));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_TEST_CLIENT_ID,
    client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_TEST_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'email', 'profile', 'kotacerdas'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    kotacerdas: ['agency', 'role'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!current()[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...current()[id].claims }) };
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(res, uid, error) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><title>Masuk</title><h1>Identitas Pemerintah Kota</h1>
${error ? `<p class="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Login <input name="login"></label> <label>Password <input name="password" type="password"></label>
<button type="submit">Masuk</button></form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const [, , uid, step] = new URL(req.url, issuer).pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST' && step === 'login') {
    const form = await readForm(req);
    const account = current()[form.get('login')];
    if (!account || account.password !== form.get('password')) return loginForm(res, uid, 'Wrong login or password.');
    return provider.interactionFinished(req, res, { login: { accountId: form.get('login') } },
      { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'login') return loginForm(res, uid);
  // consent: the portal is the city's own client, so what it asked for is granted
  const grant = details.grantId ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  const missing = details.prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  } else {
    callback(req, res);
  }
}).listen(port, '127.0.0.1', () => console.log(`oidc provider on ${issuer}`));
