#!/usr/bin/env node
// h2load.mjs - closed-loop HTTP/2 load client that can go through an HTTP proxy (CONNECT tunnel), for
// bench/proxy-h2-bench.sh. h2load (nghttp2) cannot use a proxy, so this is the same client for direct and proxied
// runs: C connections, S streams in flight on each (each stream slot sends its next request as soon as its answer
// has arrived), latency from request start to the last body byte (process.hrtime, ns), TLS verified against the CA
// given, ALPN h2 only (a connection that does not get h2 is an error, never a silent HTTP/1.1 run).
//
// Usage:
//   node h2load.mjs --url https://bench.authsome.test:28443/ [--proxy [user:pass@]127.0.0.1:PORT] --ca ca.pem
//        [-c 1] [-s 10] [-d 10] [--warmup 2] [--label name] [--connect-to 127.0.0.1]
//        [--expect-auth-seen injected|none] [--cpu-pid PID] [--rss-pid PID]
// Output: one JSON line on stdout, the same fields as proxyload.mjs (rps, p50_ms, p99_ms, ..., errors, bad_auth).
import http from 'node:http';
import http2 from 'node:http2';
import tls from 'node:tls';
import net from 'node:net';
import fs from 'node:fs';

function parseArgs(argv) {
  const o = { c: 1, s: 10, d: 10, warmup: 2, ca: [], expectAuthSeen: null, proxy: null, url: null, label: '', cpuPid: null, rssPid: null, connectTo: null };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`); return argv[++i]; };
    if (a === '--url') o.url = next();
    else if (a === '--proxy') o.proxy = next();
    else if (a === '--ca') o.ca.push(next());
    else if (a === '-c') o.c = parseInt(next(), 10);
    else if (a === '-s') o.s = parseInt(next(), 10);
    else if (a === '-d') o.d = parseFloat(next());
    else if (a === '--warmup') o.warmup = parseFloat(next());
    else if (a === '--expect-auth-seen') o.expectAuthSeen = next();
    else if (a === '--label') o.label = next();
    else if (a === '--cpu-pid') o.cpuPid = parseInt(next(), 10);
    else if (a === '--rss-pid') o.rssPid = parseInt(next(), 10);
    else if (a === '--connect-to') o.connectTo = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.url || !o.url.startsWith('https://')) throw new Error('--url https://... is required');
  if (!(o.c >= 1 && o.c <= 256) || !(o.s >= 1 && o.s <= 1000) || !(o.d > 0 && o.d <= 600)) throw new Error('bad -c / -s / -d');
  return o;
}

const opt = parseArgs(process.argv);
const target = new URL(opt.url);
const tHost = target.hostname;
const tPort = parseInt(target.port || '443', 10);
const authority = `https://${target.host}`;
const path = target.pathname + target.search;
const ca = opt.ca.length ? opt.ca.map((f) => fs.readFileSync(f)) : undefined;
let proxy = null;
if (opt.proxy) {
  let p = opt.proxy.replace(/^https?:\/\//, '').replace(/\/$/, '');
  let auth = null;
  const at = p.lastIndexOf('@');
  if (at >= 0) { auth = 'Basic ' + Buffer.from(decodeURIComponent(p.slice(0, at))).toString('base64'); p = p.slice(at + 1); }
  const idx = p.lastIndexOf(':');
  proxy = { host: p.slice(0, idx), port: parseInt(p.slice(idx + 1), 10), auth };
}

// A TCP socket to the upstream: directly, or a CONNECT tunnel through the proxy with the proxy credential.
function rawSocket() {
  if (!proxy) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: opt.connectTo || tHost, port: tPort }, () => resolve(s));
      s.setNoDelay(true);
      s.once('error', reject);
    });
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.host, port: proxy.port, method: 'CONNECT', path: `${tHost}:${tPort}`,
      headers: { Host: `${tHost}:${tPort}`, ...(proxy.auth ? { 'Proxy-Authorization': proxy.auth } : {}) } });
    req.once('connect', (res, socket, head) => {
      if (res.statusCode !== 200) { socket.destroy(); reject(new Error(`CONNECT answered ${res.statusCode}`)); return; }
      if (head && head.length) socket.unshift(head);
      socket.setNoDelay(true);
      resolve(socket);
    });
    req.once('error', reject);
    req.end();
  });
}

async function session() {
  const socket = await rawSocket();
  return new Promise((resolve, reject) => {
    const s = http2.connect(authority, {
      createConnection: () => tls.connect({ socket, ALPNProtocols: ['h2'], servername: tHost, ca, rejectUnauthorized: true }),
    });
    s.once('connect', () => {
      if (s.alpnProtocol !== 'h2') { s.destroy(); reject(new Error(`ALPN gave ${s.alpnProtocol}, not h2`)); return; }
      resolve(s);
    });
    s.once('error', reject);
  });
}

const lat = [];
let errors = 0, badStatus = 0, badAuth = 0;
const errSamples = new Map();
let phase = 'warmup';
let measureStart = 0n;
function recordErr(e) {
  if (phase === 'measure') errors++;
  const k = String(e && e.message || e).slice(0, 120);
  errSamples.set(k, (errSamples.get(k) || 0) + 1);
}

function oneRequest(s) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    let status = 0, seen;
    const req = s.request({ ':method': 'GET', ':path': path, 'user-agent': 'h2load.mjs/1' }, { endStream: true });
    req.on('response', (h) => { status = h[':status']; seen = h['x-auth-seen']; });
    req.on('data', () => {});
    req.on('end', () => {
      const t1 = process.hrtime.bigint();
      if (phase === 'measure' && t0 >= measureStart) {
        if (status !== 200) badStatus++;
        else if (opt.expectAuthSeen !== null && seen !== opt.expectAuthSeen) badAuth++;
        lat.push(Number(t1 - t0) / 1e6);
      }
      resolve();
    });
    req.on('error', (e) => { recordErr(e); resolve(); });
  });
}

async function slot(s) {
  while (phase !== 'stop' && !s.destroyed && !s.closed) {
    const e0 = errors;
    await oneRequest(s);
    if (errors > e0) await new Promise((r) => setTimeout(r, 10));
  }
}

const CLK_TCK = 100;
function procCpuSeconds(pid) {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (parseInt(f[11], 10) + parseInt(f[12], 10)) / CLK_TCK;
  } catch { return null; }
}
function hostCpu() {
  const l = fs.readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = l[3] + (l[4] || 0); const total = l.reduce((a, b) => a + b, 0);
  return [total - idle, total];
}
function rssKb(pid) {
  try { const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1')); return m ? parseInt(m[1], 10) : null; } catch { return null; }
}
function pct(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

let sessions;
try {
  sessions = await Promise.all(Array.from({ length: opt.c }, () => session()));
} catch (e) {
  process.stderr.write(`error: cannot open an HTTP/2 connection: ${e.message}\n`);
  process.exit(1);
}
for (const s of sessions) s.on('error', recordErr);
let rssMax = null;
const sampleRss = () => { if (phase === 'measure' && opt.rssPid) { const r = rssKb(opt.rssPid); if (r !== null && (rssMax === null || r > rssMax)) rssMax = r; } };
const rssTimer = opt.rssPid ? setInterval(sampleRss, 100) : null;
const slots = sessions.flatMap((s) => Array.from({ length: opt.s }, () => slot(s)));
await new Promise((r) => setTimeout(r, opt.warmup * 1000));
const cpuP0 = opt.cpuPid ? procCpuSeconds(opt.cpuPid) : null;
const cpuSelf0 = process.cpuUsage();
const host0 = hostCpu();
measureStart = process.hrtime.bigint();
phase = 'measure';
await new Promise((r) => setTimeout(r, opt.d * 1000));
sampleRss();
const measureEnd = process.hrtime.bigint();
if (rssTimer) clearInterval(rssTimer);
const cpuP1 = opt.cpuPid ? procCpuSeconds(opt.cpuPid) : null;
const cpuSelf = process.cpuUsage(cpuSelf0);
const host1 = hostCpu();
const n = lat.length;
const sorted = Float64Array.from(lat.slice(0, n)).sort();
phase = 'stop';
const elapsed = Number(measureEnd - measureStart) / 1e9;
const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
const out = {
  label: opt.label, url: opt.url, c: opt.c, streams: opt.s, protocol: 'h2',
  duration_s: Math.round(elapsed * 1000) / 1000, requests: n, rps: Math.round((n / elapsed) * 10) / 10,
  mean_ms: r3(n ? sorted.reduce((a, b) => a + b, 0) / n : null), p50_ms: r3(pct(sorted, 50)), p90_ms: r3(pct(sorted, 90)),
  p99_ms: r3(pct(sorted, 99)), p999_ms: r3(pct(sorted, 99.9)), max_ms: r3(n ? sorted[n - 1] : null),
  errors, bad_status: badStatus, bad_auth: badAuth,
  proxy_cpu_s: (cpuP0 !== null && cpuP1 !== null) ? Math.round((cpuP1 - cpuP0) * 100) / 100 : null,
  proxy_cpu_us_per_req: (cpuP0 !== null && cpuP1 !== null && n) ? Math.round(((cpuP1 - cpuP0) / n) * 1e7) / 10 : null,
  client_cpu_cores: Math.round(((cpuSelf.user + cpuSelf.system) / 1e6 / elapsed) * 100) / 100,
  proxy_rss_mb: rssMax === null ? null : Math.round(rssMax / 102.4) / 10,
  host_cpu_busy: Math.round(((host1[0] - host0[0]) / (host1[1] - host0[1])) * 100) / 100,
  error_samples: Object.fromEntries([...errSamples.entries()].slice(0, 3)),
};
process.stdout.write(JSON.stringify(out) + '\n');
await Promise.race([Promise.all(slots), new Promise((r) => setTimeout(r, 2000))]);
for (const s of sessions) s.destroy();
process.exit(0);
