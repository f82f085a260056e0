'use strict';
// A headless "browser" for tests: plugged in through $BROWSER (the URL is the last argument), it plays the user on
// oidc-provider's development login/consent pages and on authsome's own browser form, keeps cookies, follows
// redirects, and finally delivers the authorization response to authsome's loopback callback.
//
//   node approver.js [--login NAME] [--deny] [--forge-state] [--user-code CODE] [--form name=value]...
//                    [--log FILE] URL
//
//   --deny         press "abort" on the login page, so the server answers error=access_denied
//   --forge-state  deliver the callback with a state value that authsome never issued
//   --form n=v     value for field n of authsome's form (repeatable)
//   --log FILE     append what happened (one line per step) to FILE; $BROWSER programs run detached
const fs = require('node:fs');

const args = process.argv.slice(2);
const opts = { login: 'alice', deny: false, forgeState: false, userCode: null, form: {}, log: null, url: null };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--login') opts.login = args[++i];
  else if (a === '--deny') opts.deny = true;
  else if (a === '--forge-state') opts.forgeState = true;
  else if (a === '--user-code') opts.userCode = args[++i];
  else if (a === '--form') {
    const [k, ...v] = args[++i].split('=');
    opts.form[k] = v.join('=');
  } else if (a === '--log') opts.log = args[++i];
  else opts.url = a;
}

function log(line) {
  if (opts.log) fs.appendFileSync(opts.log, `${new Date().toISOString()} ${line}\n`);
}

const jar = new Map(); // host -> Map(cookie name -> value)

function cookieHeader(url) {
  const cookies = jar.get(url.host);
  if (!cookies || cookies.size === 0) return undefined;
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

function storeCookies(url, response) {
  const setCookies = response.headers.getSetCookie ? response.headers.getSetCookie() : [];
  if (!jar.has(url.host)) jar.set(url.host, new Map());
  for (const sc of setCookies) {
    const [pair, ...attrs] = sc.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0/i.test(a));
    if (expired) jar.get(url.host).delete(name);
    else jar.get(url.host).set(name, value);
  }
}

function unescapeHtml(s) {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function attributes(tag) {
  const out = {};
  const re = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  let m;
  const inner = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  while ((m = re.exec(inner)) !== null) {
    out[m[1].toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

function firstForm(html) {
  const m = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!m) return null;
  const formTag = /<form\b[^>]*>/i.exec(m[0])[0];
  const form = attributes(formTag);
  const fields = [];
  const inputRe = /<input\b[^>]*>/gi;
  let im;
  while ((im = inputRe.exec(m[1])) !== null) {
    const a = attributes(im[0]);
    if (a.name) fields.push(a);
  }
  return { action: form.action || '', method: (form.method || 'get').toLowerCase(), fields };
}

function isCallback(url) {
  return (url.hostname === '127.0.0.1' || url.hostname === 'localhost') && url.pathname === '/auth/callback/oauth';
}

async function request(url, init = {}) {
  const headers = { ...(init.headers || {}) };
  const cookie = cookieHeader(url);
  if (cookie) headers.cookie = cookie;
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  storeCookies(url, res);
  return res;
}

async function run() {
  let url = new URL(opts.url);
  let init = {};
  let aborted = false;
  for (let step = 0; step < 40; step++) {
    if (isCallback(url)) {
      if (opts.forgeState) url.searchParams.set('state', 'forged-' + Math.random().toString(36).slice(2));
      const res = await request(url);
      log(`callback ${res.status} ${url.pathname}`);
      return;
    }
    const res = await request(url, init);
    log(`${init.method || 'GET'} ${url.href} -> ${res.status}`);
    init = {};
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location'), url);
      continue;
    }
    const html = await res.text();
    if (opts.deny) {
      const abort = /href="([^"]*\/abort)"/.exec(html);
      if (abort) {
        url = new URL(unescapeHtml(abort[1]), url);
        continue;
      }
    }
    const form = firstForm(html);
    if (!form) {
      log(`done: no form on ${url.href}`);
      return;
    }
    const body = new URLSearchParams();
    for (const f of form.fields) {
      let value = f.value || '';
      if (f.name === 'login') value = opts.login;
      else if (f.name === 'password') value = 'any-password';
      else if (f.name === 'user_code' && !value && opts.userCode) value = opts.userCode;
      if (Object.prototype.hasOwnProperty.call(opts.form, f.name)) value = opts.form[f.name];
      if ((f.type || '').toLowerCase() === 'checkbox' && !('checked' in f)) continue;
      body.append(f.name, value);
    }
    // oidc-provider's device confirmation page aborts through a submit button named "abort".
    if (opts.deny && /name="abort"/.test(html)) {
      if (aborted) {
        log(`done: aborted on ${url.href}`);
        return;
      }
      body.append('abort', 'yes');
      aborted = true;
    }
    const target = new URL(form.action || url.href, url);
    if (form.method === 'post') {
      init = {
        method: 'POST',
        body: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: target.origin },
      };
      url = target;
    } else {
      for (const [k, v] of body) target.searchParams.set(k, v);
      url = target;
    }
  }
  log('gave up after 40 steps');
}

run().catch((err) => {
  log(`error ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
