#!/usr/bin/env python3
"""Summarises bench/proxy results (results.jsonl from run-load.sh) as Markdown: medians over repetitions per case and
target, the ratios issue 9 sets targets for (against mitmproxy and against direct), and those targets.

Usage: summarize.py OUT_DIR   (prints Markdown)
"""
import collections
import json
import os
import statistics
import sys

out = sys.argv[1]
rows = [json.loads(line) for line in open(f"{out}/results.jsonl") if line.strip()]
groups = collections.defaultdict(list)
for r in rows:
    groups[(r["mode"], r["c"], r["scheme"], r["target"])].append(r)
labels = sorted({k[3] for k in groups}, key=lambda t: (t != "direct", t != "authsome", t.startswith("mitm"), t))
authsomes = [t for t in labels if t.startswith("authsome")]


def values(mode, c, scheme, target, key):
    return [r[key] for r in groups.get((mode, c, scheme, target), []) if r.get(key) is not None]


def med(mode, c, scheme, target, key):
    xs = values(mode, c, scheme, target, key)
    return statistics.median(xs) if xs else None


def f(x, nd=0):
    return "-" if x is None else f"{x:,.{nd}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


cases = sorted({(m, c, s) for (m, c, s, _) in groups}, key=lambda k: (k[0] != "ka", k[2] != "https", k[1]))
meta = open(f"{out}/meta.txt").read().strip() if os.path.exists(f"{out}/meta.txt") else ""
print(f"# Proxy benchmark summary\n\n```\n{meta}\n```\n")
print("Medians over the repetitions (runs: how many); latency from request start to last body byte, in ms. "
      "ka = keep-alive connections; noka = a new connection per request (through a proxy over https: TCP, CONNECT "
      "and a TLS handshake each time). added p50 = p50 through the proxy minus p50 direct. CPU = the proxy's CPU "
      "time per request; RSS = the proxy's peak resident memory during the runs of that case.\n")
print("| mode | c | scheme | target | req/s | p50 | p99 | added p50 | CPU us/req | RSS MB | x mitmproxy | % of direct | runs |")
print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for (m, c, s) in cases:
    d_rps, d50 = med(m, c, s, "direct", "rps"), med(m, c, s, "direct", "p50_ms")
    mi_rps = med(m, c, s, "mitmproxy", "rps")
    for t in labels:
        if (m, c, s, t) not in groups:
            continue
        rps, p50 = med(m, c, s, t, "rps"), med(m, c, s, t, "p50_ms")
        added = None if t == "direct" or p50 is None or d50 is None else p50 - d50
        rss = values(m, c, s, t, "proxy_rss_mb")
        x_mitm = ratio(rps, mi_rps) if t.startswith("authsome") else None
        pct = 100 * ratio(rps, d_rps) if t != "direct" and ratio(rps, d_rps) is not None else None
        print(f"| {m} | {c} | {s} | {t} | {f(rps)} | {f(p50, 3)} | {f(med(m, c, s, t, 'p99_ms'), 3)} | "
              f"{f(added, 3)} | {f(med(m, c, s, t, 'proxy_cpu_us_per_req'))} | {f(max(rss) if rss else None)} | "
              f"{f(x_mitm, 1) + 'x' if x_mitm else '-'} | {f(pct) + '%' if pct is not None else '-'} | "
              f"{len(groups[(m, c, s, t)])} |")

bad = []
for k, v in sorted(groups.items()):
    e, st, a = (sum(r.get(x) or 0 for r in v) for x in ("errors", "bad_status", "bad_auth"))
    if e or st or a:
        bad.append(f"{k[3]} {k[0]} c={k[1]} {k[2]}: {e} errors, {st} bad status, {a} bad auth")
print("\nErrors, bad status, wrong injection: " + ("none" if not bad else "; ".join(bad)))

print("\n## Targets (issue 9)\n")
print("| target | case | " + " | ".join(authsomes) + " |")
print("|---|---|" + "---:|" * len(authsomes))


def row(name, case, fn):
    cells = []
    for t in authsomes:
        value, ok = fn(t)
        cells.append(f"{value} {'-' if ok is None else ('met' if ok else '**missed**')}")
    print(f"| {name} | {case} | " + " | ".join(cells) + " |")


ka_c = sorted({k[1] for k in cases if k[0] == "ka"})
noka_c = sorted({k[1] for k in cases if k[0] == "noka"})
for c in ka_c:
    def vs_mitm(t, c=c):
        r = ratio(med("ka", c, "https", t, "rps"), med("ka", c, "https", "mitmproxy", "rps"))
        return f"{f(r, 1)}x", None if r is None else r >= 10
    row(">= 10x mitmproxy req/s", f"keep-alive https c={c}", vs_mitm)
for c in ka_c:
    def vs_direct(t, c=c):
        r = ratio(med("ka", c, "https", t, "rps"), med("ka", c, "https", "direct", "rps"))
        return f"{f(100 * r if r is not None else None)}%", None if r is None else r >= 0.4
    row(">= 40% of direct req/s", f"keep-alive https c={c}", vs_direct)
for s in ("https", "http"):
    def added(t, s=s):
        a, d = med("ka", 1, s, t, "p50_ms"), med("ka", 1, s, "direct", "p50_ms")
        x = None if a is None or d is None else a - d
        return f"{f(x, 3)} ms", None if x is None else x < 0.5
    row("added p50 < 0.5 ms", f"keep-alive {s} c=1", added)
for c in noka_c:
    def noka(t, c=c):
        r = ratio(med("noka", c, "https", t, "rps"), med("noka", c, "https", "mitmproxy", "rps"))
        return f"{f(r, 1)}x", None if r is None else r >= 4
    row(">= 4x mitmproxy req/s", f"new connection per request https c={c}", noka)


def rss(t):
    xs = values("ka", 64, "https", t, "proxy_rss_mb") + values("ka", 64, "http", t, "proxy_rss_mb")
    return f"{f(max(xs) if xs else None)} MB", (max(xs) < 256) if xs else None


row("RSS < 256 MB", "keep-alive c=64, peak", rss)
