#!/usr/bin/env node
// proxyload.mjs - small closed-loop HTTP(S) load client that can speak through an HTTP proxy.
//
// Adapted for authsome from the shared benchmark harness (tools/bench-proxy/proxyload.mjs, "bench-proxy: the same
// bounded loopback load through several HTTP(S) proxies"). Changes here: proxy credentials (user:pass@ in --proxy,
// sent as Proxy-Authorization on CONNECT and on absolute-form requests, as curl does), --connect-to (dial an address
// instead of resolving the target name, like curl --connect-to, so a .test name needs no /etc/hosts entry),
// --expect-auth-seen (the upstream reports what it saw in X-Auth-Seen instead of echoing the header, which
// authsome's echo scrubbing would rewrite; authsome never injects over plain http, so that case expects "none"), and
// --rss-pid (peak resident memory of a process, e.g. the proxy, sampled during the measured window).
//
// Why: wrk cannot use a proxy, and hey (a) reports latency with only 0.1 ms resolution and
// (b) skips TLS verification. This client measures with process.hrtime (ns), verifies TLS
// against given CA file(s), and can check that the upstream saw the injected header.
//
// Modes (picked from --url scheme and --proxy):
//   http  URL, no proxy : direct TCP to upstream
//   http  URL, proxy    : TCP to proxy, absolute-form request line (GET http://host:port/path)
//   https URL, no proxy : TLS to upstream
//   https URL, proxy    : TCP to proxy, CONNECT host:port, then TLS through the tunnel (MITM)
//   --proxy [http://][user:pass@]host:port    credentials become "Proxy-Authorization: Basic ..."
//
// Usage:
//   node proxyload.mjs --url https://127.0.0.1:18443/ [--proxy 127.0.0.1:18081] [--ca ca.pem ...]
//        [-c 8] [-d 10] [--warmup 1] [--no-keepalive] [--label name]
//        [--expect-auth-seen V] (a response whose X-Auth-Seen header is not V counts as bad_auth; bench/proxy-bench.sh's
//                            nginx sends "injected", "none" or "other")
//        [--cpu-pid PID]   (CPU seconds of that process, e.g. the proxy, over the measured window)
//        [--rss-pid PID]   (peak VmRSS of that process during the measured window, sampled every 100 ms)
//        [--connect-to ADDR] (direct runs: dial ADDR instead of the URL's host; SNI and Host stay the URL's)
// Output: one JSON line on stdout. Latencies in ms (from request start to last body byte;
// with --no-keepalive this includes TCP connect, CONNECT and TLS handshakes).
import http from 'node:http';
import tls from 'node:tls';
import net from 'node:net';
import fs from 'node:fs';

function parseArgs(argv) {
  const o = { c: 8, d: 10, warmup: 0, keepalive: true, ca: [], expectAuthSeen: null, proxy: null, url: null, label: '', timeout: 20, cpuPid: null, rssPid: null, connectTo: null };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`); return argv[++i]; };
    if (a === '--url') o.url = next();
    else if (a === '--proxy') o.proxy = next();
    else if (a === '--ca') o.ca.push(next());
    else if (a === '-c') o.c = parseInt(next(), 10);
    else if (a === '-d') o.d = parseFloat(next());
    else if (a === '--warmup') o.warmup = parseFloat(next());
    else if (a === '--timeout') o.timeout = parseFloat(next());
    else if (a === '--no-keepalive') o.keepalive = false;
    else if (a === '--expect-auth-seen') o.expectAuthSeen = next();
    else if (a === '--label') o.label = next();
    else if (a === '--cpu-pid') o.cpuPid = parseInt(next(), 10);
    else if (a === '--rss-pid') o.rssPid = parseInt(next(), 10);
    else if (a === '--connect-to') o.connectTo = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.url) throw new Error('--url is required');
  if (!(o.c >= 1) || !(o.d > 0)) throw new Error('bad -c / -d');
  if (o.d > 600 || o.c > 1024) throw new Error('refusing: -d must be <= 600 s and -c <= 1024');
  return o;
}

const opt = parseArgs(process.argv);
const target = new URL(opt.url);
const isTls = target.protocol === 'https:';
const tHost = target.hostname.replace(/^\[|\]$/g, '');
const tPort = parseInt(target.port || (isTls ? '443' : '80'), 10);
const hostHeader = target.host;
const pathOnly = target.pathname + target.search;
let pHost = null, pPort = null, proxyAuth = null;
if (opt.proxy) {
  let p = opt.proxy.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const at = p.lastIndexOf('@');
  if (at >= 0) {
    proxyAuth = 'Basic ' + Buffer.from(decodeURIComponent(p.slice(0, at))).toString('base64');
    p = p.slice(at + 1);
  }
  const idx = p.lastIndexOf(':');
  pHost = p.slice(0, idx).replace(/^\[|\]$/g, ''); pPort = parseInt(p.slice(idx + 1), 10);
}
const ca = opt.ca.length ? opt.ca.map((f) => fs.readFileSync(f)) : undefined;

function tlsOver(socket, cb) {
  const s = tls.connect({
    socket, host: tHost, port: tPort, ca,
    servername: net.isIP(tHost) ? undefined : tHost, // no SNI for IP literals (RFC 6066)
    rejectUnauthorized: true, ALPNProtocols: ['http/1.1'],
  });
  s.once('secureConnect', () => cb(null, s));
  s.once('error', cb);
}

// Custom connection factory used by the agent: all four modes.
function createConnection(_options, cb) {
  let done = false;
  const finish = (err, s) => { if (!done) { done = true; cb(err, s); } };
  if (!opt.proxy) {
    const sock = net.connect({ host: opt.connectTo || tHost, port: tPort });
    sock.setNoDelay(true);
    if (!isTls) { sock.once('connect', () => finish(null, sock)); sock.once('error', finish); return undefined; }
    sock.once('error', finish);
    sock.once('connect', () => tlsOver(sock, finish));
    return undefined;
  }
  const sock = net.connect({ host: pHost, port: pPort });
  sock.setNoDelay(true);
  sock.once('error', finish);
  if (!isTls) { sock.once('connect', () => finish(null, sock)); return undefined; }
  sock.once('connect', () => {
    sock.write(`CONNECT ${tHost.includes(':') ? '[' + tHost + ']' : tHost}:${tPort} HTTP/1.1\r\nHost: ${hostHeader}\r\n${proxyAuth ? `Proxy-Authorization: ${proxyAuth}\r\n` : ''}\r\n`);
    let buf = Buffer.alloc(0);
    const onData = (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) { if (buf.length > 16384) finish(new Error('CONNECT reply too long')); return; }
      sock.removeListener('data', onData);
      sock.pause();
      const status = buf.slice(0, buf.indexOf('\r\n')).toString('latin1');
      if (!/^HTTP\/1\.[01] 200/.test(status)) { finish(new Error(`CONNECT failed: ${status}`)); sock.destroy(); return; }
      if (buf.length > end + 4) sock.unshift(buf.slice(end + 4));
      tlsOver(sock, finish);
    };
    sock.on('data', onData);
  });
  return undefined;
}

class LoadAgent extends http.Agent {
  createConnection(options, cb) { return createConnection(options, cb); }
}
const agent = new LoadAgent({ keepAlive: opt.keepalive, maxSockets: opt.keepalive ? opt.c : Infinity, maxFreeSockets: opt.c, scheduling: 'lifo' });

const reqOptions = {
  agent, method: 'GET',
  host: tHost, port: tPort,
  // plain HTTP through a proxy: absolute-form request target
  path: (opt.proxy && !isTls) ? `http://${hostHeader}${pathOnly}` : pathOnly,
  headers: { Host: hostHeader, 'User-Agent': 'proxyload/1', ...(opt.keepalive ? {} : { Connection: 'close' }),
    ...((opt.proxy && !isTls && proxyAuth) ? { 'Proxy-Authorization': proxyAuth } : {}) },
  timeout: opt.timeout * 1000,
};

const lat = []; // ms, only requests that completed inside the measurement window
let errors = 0, badStatus = 0, badAuth = 0, completedWarm = 0;
const errSamples = new Map();
let phase = 'warmup'; // warmup -> measure -> stop
let measureStart = 0n;

function oneRequest() {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(reqOptions, (res) => {
      const okStatus = res.statusCode === 200;
      const seen = res.headers['x-auth-seen'];
      res.on('data', () => {});
      res.on('end', () => {
        const t1 = process.hrtime.bigint();
        if (phase === 'measure' && t0 >= measureStart) {
          if (!okStatus) badStatus++;
          else if (opt.expectAuthSeen !== null && seen !== opt.expectAuthSeen) badAuth++;
          lat.push(Number(t1 - t0) / 1e6);
        } else if (phase === 'warmup') completedWarm++;
        resolve();
      });
      res.on('error', (e) => { recordErr(e); resolve(); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => { recordErr(e); resolve(); });
    req.end();
  });
}
function recordErr(e) {
  if (phase === 'measure') errors++;
  const k = String(e && e.message || e).slice(0, 120);
  errSamples.set(k, (errSamples.get(k) || 0) + 1);
}

async function worker() {
  while (phase !== 'stop') {
    const e0 = errors;
    await oneRequest();
    if (errors > e0) await new Promise((r) => setTimeout(r, 10)); // back off a little after an error
  }
}

const CLK_TCK = 100; // Linux USER_HZ
function procCpuSeconds(pid) { // utime+stime of all threads of pid, seconds
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (parseInt(f[11], 10) + parseInt(f[12], 10)) / CLK_TCK;
  } catch { return null; }
}
function hostCpu() { // [busy, total] jiffies over all CPUs
  const l = fs.readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = l[3] + (l[4] || 0); const total = l.reduce((a, b) => a + b, 0);
  return [total - idle, total];
}
function pct(sorted, p) {
  if (!sorted.length) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

function rssKb(pid) { // VmRSS of pid, kB
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? parseInt(m[1], 10) : null;
  } catch { return null; }
}
let rssMax = null;
const sampleRss = () => { if (phase === 'measure' && opt.rssPid) { const r = rssKb(opt.rssPid); if (r !== null && (rssMax === null || r > rssMax)) rssMax = r; } };
const rssTimer = opt.rssPid ? setInterval(sampleRss, 100) : null;

const workers = Array.from({ length: opt.c }, () => worker());
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
// Only count requests that both started and ended inside the window.
const n = lat.length; // snapshot before stop; in-flight ones finishing later are ignored
const sorted = Float64Array.from(lat.slice(0, n)).sort();
phase = 'stop';
const elapsed = Number(measureEnd - measureStart) / 1e9;
const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
const mean = n ? sorted.reduce((a, b) => a + b, 0) / n : null;
const out = {
  label: opt.label, url: opt.url, proxy: opt.proxy, c: opt.c, keepalive: opt.keepalive,
  duration_s: Math.round(elapsed * 1000) / 1000, requests: n, rps: Math.round((n / elapsed) * 10) / 10,
  mean_ms: r3(mean), p50_ms: r3(pct(sorted, 50)), p90_ms: r3(pct(sorted, 90)), p99_ms: r3(pct(sorted, 99)),
  p999_ms: r3(pct(sorted, 99.9)), max_ms: r3(sorted.length ? sorted[sorted.length - 1] : null),
  errors, bad_status: badStatus, bad_auth: badAuth,
  proxy_cpu_s: (cpuP0 !== null && cpuP1 !== null) ? Math.round((cpuP1 - cpuP0) * 100) / 100 : null,
  proxy_cpu_us_per_req: (cpuP0 !== null && cpuP1 !== null && n) ? Math.round(((cpuP1 - cpuP0) / n) * 1e7) / 10 : null,
  client_cpu_cores: Math.round(((cpuSelf.user + cpuSelf.system) / 1e6 / elapsed) * 100) / 100,
  proxy_rss_mb: rssMax === null ? null : Math.round(rssMax / 102.4) / 10,
  host_cpu_busy: Math.round(((host1[0] - host0[0]) / (host1[1] - host0[1])) * 100) / 100,
  error_samples: Object.fromEntries([...errSamples.entries()].slice(0, 3)),
};
process.stdout.write(JSON.stringify(out) + '\n');
await Promise.race([Promise.all(workers), new Promise((r) => setTimeout(r, 2000))]);
agent.destroy();
process.exit(0);
