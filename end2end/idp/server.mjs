// Development OpenID Connect identity provider for Portale Salute.
//
// It stands in for the regional SPID/CIE gateway during development and the
// end-to-end tests. All OAuth 2.0 / OpenID Connect protocol handling is done by
// the OpenID-certified `oidc-provider` package; this file only holds its
// configuration and the interaction (login) pages.
//
// Never use it in production: the keys are generated at every start, the
// accounts are demo accounts and nobody is authenticated.

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const startedAt = process.hrtime.bigint();
const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- settings --

const HOST = process.env.IDP_HOST || '127.0.0.1';
const PORT = Number.parseInt(process.env.IDP_PORT || '3100', 10);
const ISSUER = `http://${HOST}:${PORT}`;
const PORTALE_URL = (process.env.PORTALE_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
const ACCOUNTS_FILE = resolve(here, process.env.IDP_ACCOUNTS || 'accounts.json');
const PORTALE_CLIENT_SECRET = process.env.PORTALE_CLIENT_SECRET || 'sviluppo-solo-locale-portale';
const LOG = ['1', 'true', 'yes', 'on'].includes(String(process.env.IDP_LOG || '').toLowerCase());

// oidc-provider prints two expected warnings for this development setup: the
// in-memory storage (wanted: state dies with the process) and, on Node.js 20,
// that the runtime is older than the LTS it supports. Keep the output quiet
// unless IDP_LOG is set; every other warning is still printed.
if (!LOG) {
  const expected = [
    'oidc-provider WARNING: Unsupported runtime.',
    'oidc-provider WARNING: a quick start development-only in-memory adapter is used',
  ];
  const warn = console.warn.bind(console);
  console.warn = (first, ...rest) => {
    if (typeof first === 'string' && expected.some((prefix) => first.includes(prefix))) return;
    warn(first, ...rest);
  };
}

const { default: Provider } = await import('oidc-provider');

const FISCAL_NUMBER_CLAIM = 'https://attributes.eid.gov.it/fiscal_number';
const PORTALE_CLIENT_ID = 'portale';
const PORTALE_SCOPE = 'openid profile ruolo';

// ---------------------------------------------------------------- accounts --

// The file is re-read whenever it changes, so that a regenerated accounts.json
// is picked up without restarting the identity provider.
let accountsCache = { mtimeMs: -1, size: -1, list: [] };

function loadAccounts() {
  let stat;
  try {
    stat = statSync(ACCOUNTS_FILE);
  } catch (err) {
    throw new Error(`cannot read the demo accounts file ${ACCOUNTS_FILE}: ${err.message}`);
  }
  if (stat.mtimeMs !== accountsCache.mtimeMs || stat.size !== accountsCache.size) {
    const list = JSON.parse(readFileSync(ACCOUNTS_FILE, 'utf8'));
    if (!Array.isArray(list)) {
      throw new Error(`${ACCOUNTS_FILE} must contain a JSON array of accounts`);
    }
    accountsCache = { mtimeMs: stat.mtimeMs, size: stat.size, list };
  }
  return accountsCache.list;
}

function accountBySub(sub) {
  if (typeof sub !== 'string' || !sub) return undefined;
  return loadAccounts().find((account) => account && account.sub === sub);
}

function present(value) {
  return value !== undefined && value !== null && value !== '';
}

function accountClaims(account) {
  const claims = {
    sub: account.sub,
    given_name: account.given_name,
    family_name: account.family_name,
    birthdate: account.birthdate,
    [FISCAL_NUMBER_CLAIM]: present(account.fiscal_code) ? `TINIT-${account.fiscal_code}` : undefined,
    role: account.role,
  };
  if (present(account.pharmacy_id)) claims.pharmacy_id = String(account.pharmacy_id);
  if (present(account.facility_id)) claims.facility_id = String(account.facility_id);
  for (const key of Object.keys(claims)) {
    if (claims[key] === undefined) delete claims[key];
  }
  return claims;
}

async function findAccount(_ctx, sub) {
  const account = accountBySub(sub);
  if (!account) return undefined;
  return {
    accountId: account.sub,
    // The provider filters these by the scopes and claims actually granted.
    async claims() {
      return accountClaims(account);
    },
  };
}

// ------------------------------------------------------------------- html --

function esc(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function italianDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ''));
  return match ? `${match[3]}/${match[2]}/${match[1]}` : String(iso ?? '');
}

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#f2f5f8}
header{background:#003f7f;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:600}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:1rem 0 .5rem;color:#00264d}
h2{font-size:1.3rem;margin:2rem 0 .75rem;color:#00264d;border-bottom:2px solid #003f7f;padding-bottom:.25rem}
p{margin:.5rem 0 1rem}
ul.accounts{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.account{background:#fff;border:1px solid #8a9bb0;border-radius:.5rem;padding:1rem}
.account h3{font-size:1.1rem;margin:0 0 .25rem}
.account dl{margin:0 0 .75rem;display:grid;grid-template-columns:max-content 1fr;gap:.125rem .75rem}
.account dt{font-weight:600;color:#333}
.account dd{margin:0;overflow-wrap:anywhere}
.account form{margin:0}
button,.button{display:inline-block;min-height:2.75rem;padding:.6rem 1.1rem;font:inherit;font-weight:600;border-radius:.375rem;cursor:pointer;text-decoration:none}
.primary{background:#003f7f;color:#fff;border:2px solid #003f7f;width:100%}
.primary:hover{background:#00264d;border-color:#00264d}
.secondary{background:#fff;color:#003f7f;border:2px solid #003f7f}
.secondary:hover{background:#e6eef7}
button:focus-visible,a:focus-visible{outline:3px solid #b35c00;outline-offset:3px}
.note{background:#fff8e1;border-left:4px solid #8a5a00;padding:.75rem 1rem;border-radius:.25rem}
.cancel{margin:2rem 0 1rem}
.empty{font-style:italic}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}
@media (min-width:40rem){.primary{width:auto}}
`;

function page({ title, body, head = '' }) {
  return `<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${STYLE}</style>
${head}
</head>
<body>
<header><p>Portale Salute · Regione Liguria — identità di prova</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

const ROLE_SECTIONS = [
  ['citizen', 'Cittadini'],
  ['pharmacist', 'Farmacisti'],
  ['hospital_operator', 'Operatori ospedalieri'],
  ['region_operator', 'Operatori regionali'],
];

function accountItem(account, uid) {
  const fullName = `${account.given_name ?? ''} ${account.family_name ?? ''}`.trim();
  return `<li class="account">
<h3>${esc(fullName)}</h3>
<dl>
<dt>Codice fiscale</dt><dd><code>${esc(account.fiscal_code)}</code></dd>
<dt>Data di nascita</dt><dd>${esc(italianDate(account.birthdate))}</dd>
${present(account.description) ? `<dt>Descrizione</dt><dd>${esc(account.description)}</dd>` : ''}
</dl>
<form method="post" action="/interaction/${esc(uid)}/login">
<input type="hidden" name="account" value="${esc(account.sub)}">
<button type="submit" class="primary">Accedi come ${esc(fullName)}</button>
</form>
</li>`;
}

function loginPage(uid, accounts, { clientName } = {}) {
  const sections = ROLE_SECTIONS.map(([role, heading]) => {
    const members = accounts.filter((account) => account && account.role === role);
    const items = members.length
      ? `<ul class="accounts">\n${members.map((account) => accountItem(account, uid)).join('\n')}\n</ul>`
      : '<p class="empty">Nessun account di prova disponibile.</p>';
    return `<section aria-labelledby="sezione-${role}">
<h2 id="sezione-${role}">${esc(heading)}</h2>
${items}
</section>`;
  }).join('\n');

  return page({
    title: 'Accesso di prova — Portale Salute',
    body: `<h1>Accesso di prova</h1>
<p class="note">Questo è il fornitore di identità di sviluppo: sostituisce SPID e CIE ${clientName ? `per <strong>${esc(clientName)}</strong> ` : ''}solo negli ambienti di sviluppo e di test. Non viene chiesta nessuna password: scegli uno degli account di prova qui sotto per entrare.</p>
${sections}
<form class="cancel" method="post" action="/interaction/${esc(uid)}/abort">
<button type="submit" class="secondary">Annulla e torna al portale</button>
</form>`,
  });
}

function messagePage(title, message, status = 400) {
  return {
    status,
    html: page({
      title: `${title} — Portale Salute`,
      body: `<h1>${esc(title)}</h1>
<p>${esc(message)}</p>
<p><a class="button secondary" href="${esc(`${PORTALE_URL}/`)}">Torna al portale</a></p>`,
    }),
  };
}

// --------------------------------------------------------------- provider --

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...privateKey.export({ format: 'jwk' }),
    kid: `sviluppo-${randomUUID()}`,
    alg: 'RS256',
    use: 'sig',
  };
}

function machineClient(clientId, secret, scope) {
  return {
    client_id: clientId,
    client_secret: secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope,
  };
}

const configuration = {
  clients: [
    {
      client_id: PORTALE_CLIENT_ID,
      client_name: 'Portale Salute',
      client_secret: PORTALE_CLIENT_SECRET,
      application_type: 'web',
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [`${PORTALE_URL}/auth/callback`],
      post_logout_redirect_uris: [`${PORTALE_URL}/`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: PORTALE_SCOPE,
    },
    machineClient('ospedale-san-martino', 'sviluppo-san-martino', 'emergency:write surgery:write'),
    machineClient('ospedale-gaslini', 'sviluppo-gaslini', 'emergency:write'),
    machineClient('ospedale-galliera', 'sviluppo-galliera', 'surgery:write'),
    // The regional screening centre (FIT kits, results) and the portal's demo feeder.
    machineClient('centro-screening-liguria', 'sviluppo-centro-screening', 'screening:write'),
    // The regional ER data flow (and the portal's demo feeder).
    machineClient('flusso-regionale-ps', 'sviluppo-flusso-regionale-ps', 'emergency:write'),
  ],
  jwks: { keys: [signingKey()] },
  cookies: {
    keys: [randomBytes(32).toString('base64url')],
  },
  scopes: ['openid', 'profile', 'ruolo', 'emergency:write', 'surgery:write', 'screening:write'],
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name', 'birthdate', FISCAL_NUMBER_CLAIM],
    ruolo: ['role', 'pharmacy_id', 'facility_id'],
  },
  findAccount,
  // Authorization code flow only (no implicit / hybrid).
  responseTypes: ['code'],
  // Every authorization request must use PKCE (oidc-provider 9 only supports S256).
  pkce: {
    required: () => true,
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: {
      enabled: true,
      // The portal may introspect every token (it validates the hospitals'
      // machine tokens); any other client only its own tokens.
      allowedPolicy: async (_ctx, client, token) => (
        client.clientId === PORTALE_CLIENT_ID || client.clientId === token.clientId
      ),
    },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource,
      postLogoutSuccessSource,
    },
  },
  // The portal is first party: it never asks the user for consent.
  loadExistingGrant,
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  ttl: {
    AccessToken: 600,
    ClientCredentials: 600,
    IdToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 8 * 60 * 60,
    Grant: 8 * 60 * 60,
  },
  renderError,
};

async function loadExistingGrant(ctx) {
  const { client, session, result } = ctx.oidc;
  const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId);
  const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;

  if (client.clientId !== PORTALE_CLIENT_ID) {
    return existing;
  }

  const grant = existing || new ctx.oidc.provider.Grant({
    clientId: client.clientId,
    accountId: session.accountId,
  });
  const allowed = new Set(PORTALE_SCOPE.split(' '));
  const scopes = [...ctx.oidc.requestParamOIDCScopes].filter((scope) => allowed.has(scope));
  if (scopes.length) grant.addOIDCScope(scopes.join(' '));
  const claims = [...ctx.oidc.requestParamClaims];
  if (claims.length) grant.addOIDCClaims(claims);
  await grant.save();
  return grant;
}

async function logoutSource(ctx, form) {
  // `form` is oidc-provider's <form id="op.logoutForm"> carrying the xsrf token.
  ctx.type = 'html';
  ctx.body = page({
    title: 'Uscita dal Portale Salute',
    body: `<h1>Uscita dal Portale Salute</h1>
<p>Stai uscendo dal Portale Salute e dall'identità di prova. Se la pagina non prosegue da sola, premi «Esci».</p>
${form}
<p><button type="submit" class="primary" form="op.logoutForm" name="logout" value="yes" id="esci">Esci</button></p>
<script>
(function () {
  var form = document.getElementById('op.logoutForm');
  if (!form) return;
  var input = document.createElement('input');
  input.type = 'hidden';
  input.name = 'logout';
  input.value = 'yes';
  form.appendChild(input);
  form.submit();
}());
</script>`,
  });
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html';
  ctx.body = page({
    title: 'Uscita completata — Portale Salute',
    body: `<h1>Uscita completata</h1>
<p>Sei uscito correttamente dal Portale Salute.</p>
<p><a class="button secondary" href="${esc(`${PORTALE_URL}/`)}">Torna al portale</a></p>`,
  });
}

async function renderError(ctx, out) {
  ctx.type = 'html';
  ctx.body = page({
    title: 'Errore di accesso — Portale Salute',
    body: `<h1>Errore di accesso</h1>
<p>Il fornitore di identità di prova non ha potuto completare la richiesta.</p>
<dl>${Object.entries(out).map(([key, value]) => `<dt><code>${esc(key)}</code></dt><dd>${esc(value)}</dd>`).join('')}</dl>
<p><a class="button secondary" href="${esc(`${PORTALE_URL}/`)}">Torna al portale</a></p>`,
  });
}

const provider = new Provider(ISSUER, configuration);

// ------------------------------------------------------------ interactions --

const MAX_BODY = 64 * 1024;

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) {
      const err = new Error('request body too large');
      err.status = 413;
      throw err;
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.end(html);
}

// Grants whatever a non-login prompt (normally `consent`) is still missing, so
// the flow never dead-ends on a page we do not serve.
async function finishConsent(req, res, details) {
  const { prompt: { details: missing = {} }, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });

  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  if (missing.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const savedGrantId = await grant.save();
  const consent = grantId ? {} : { grantId: savedGrantId };
  await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
}

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?\/?$/;

async function handleInteraction(req, res, uid, action) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    const { status, html } = messagePage(
      'Sessione di accesso scaduta',
      'La richiesta di accesso non è più valida o è scaduta. Torna al portale e riprova ad accedere.',
    );
    sendHtml(res, status, html);
    return;
  }
  if (details.uid !== uid) {
    const { status, html } = messagePage('Richiesta non valida', 'La richiesta di accesso non corrisponde a quella in corso.');
    sendHtml(res, status, html);
    return;
  }

  if (req.method === 'GET' && !action) {
    if (details.prompt.name === 'login') {
      const client = await provider.Client.find(details.params.client_id);
      sendHtml(res, 200, loginPage(uid, loadAccounts(), { clientName: client?.clientName }));
    } else {
      await finishConsent(req, res, details);
    }
    return;
  }

  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const account = accountBySub(form.get('account'));
    if (!account) {
      const { status, html } = messagePage('Account non trovato', "L'account di prova scelto non esiste. Torna indietro e scegline un altro.");
      sendHtml(res, status, html);
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.sub } },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  if (req.method === 'POST' && action === 'abort') {
    await readForm(req);
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: "L'utente ha annullato l'accesso" },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  res.statusCode = 405;
  res.setHeader('Allow', action ? 'POST' : 'GET');
  res.end();
}

// ------------------------------------------------------------------ server --

const oidc = provider.callback();

if (LOG) {
  provider.on('server_error', (_ctx, err) => console.error('server_error', err));
  provider.on('grant.error', (_ctx, err) => console.error('grant.error', err.message));
  provider.on('authorization.error', (_ctx, err) => console.error('authorization.error', err.message));
}

const server = createServer((req, res) => {
  if (LOG) {
    const started = Date.now();
    res.on('finish', () => {
      console.log(`${req.method} ${req.url} → ${res.statusCode} (${Date.now() - started} ms)`);
    });
  }

  const path = (req.url || '/').split('?')[0];
  const match = INTERACTION.exec(path);
  if (!match) {
    oidc(req, res);
    return;
  }

  handleInteraction(req, res, match[1], match[2]).catch((err) => {
    console.error('interaction error:', err);
    if (!res.headersSent) {
      const { status, html } = messagePage(
        'Errore del fornitore di identità',
        'Si è verificato un errore imprevisto. Torna al portale e riprova.',
        err.status || 500,
      );
      sendHtml(res, status, html);
    } else {
      res.end();
    }
  });
});

// Fail early (and clearly) when the accounts file is missing or malformed.
loadAccounts();

server.listen(PORT, HOST, () => {
  const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
  console.log(`Identity provider listening on ${ISSUER}`);
  if (LOG) console.log(`(started in ${ms.toFixed(0)} ms, accounts from ${ACCOUNTS_FILE})`);
});

function shutdown() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
