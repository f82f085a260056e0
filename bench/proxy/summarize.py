#!/usr/bin/env python3
"""Summarises bench/proxy results (results.jsonl from run-load.sh) as Markdown: medians over repetitions per case,
direct / authsome / mitmproxy side by side, and the targets of issue 9 with their ratios.

Usage: summarize.py OUT_DIR   (writes nothing; prints Markdown)
"""
import collections
import json
import statistics
import sys

out = sys.argv[1]
rows = [json.loads(line) for line in open(f"{out}/results.jsonl") if line.strip()]
groups = collections.defaultdict(list)
for r in rows:
    groups[(r["mode"], r["c"], r["scheme"], r["target"])].append(r)


def med(mode, c, scheme, target, key):
    xs = [r[key] for r in groups.get((mode, c, scheme, target), []) if r.get(key) is not None]
    return statistics.median(xs) if xs else None


def peak(mode, c, scheme, target, key):
    xs = [r[key] for r in groups.get((mode, c, scheme, target), []) if r.get(key) is not None]
    return max(xs) if xs else None


def f(x, nd=0):
    return "-" if x is None else f"{x:,.{nd}f}"


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


cases = sorted({(m, c, s) for (m, c, s, _) in groups}, key=lambda k: (k[0] != "ka", k[2] != "https", k[1]))
targets = [t for t in ("direct", "authsome", "mitmproxy") if any(k[3] == t for k in groups)]
meta = open(f"{out}/meta.txt").read().strip() if __import__("os").path.exists(f"{out}/meta.txt") else ""
print(f"# Proxy benchmark summary\n\n{meta}\n")
print("Medians over repetitions; latency from request start to last body byte, ms; ka = keep-alive connections, "
      "noka = a new connection per request (through a proxy over https: TCP + CONNECT + TLS handshake each time). "
      "added p50 = p50 through the proxy - p50 direct. CPU = proxy CPU time per request, RSS = peak proxy RSS.\n")
head = "| mode | c | scheme |"
sep = "|---|---:|---|"
for t in targets:
    head += f" {t} req/s | p50 | p99 |"
    sep += "---:|---:|---:|"
    if t != "direct":
        head += f" {t} added p50 | CPU us/req | RSS MB |"
        sep += "---:|---:|---:|"
print(head + " authsome / mitmproxy | authsome / direct |")
print(sep + "---:|---:|")
for (m, c, s) in cases:
    line = f"| {m} | {c} | {s} |"
    d50 = med(m, c, s, "direct", "p50_ms")
    for t in targets:
        p50 = med(m, c, s, t, "p50_ms")
        line += f" {f(med(m, c, s, t, 'rps'))} | {f(p50, 3)} | {f(med(m, c, s, t, 'p99_ms'), 3)} |"
        if t != "direct":
            added = None if p50 is None or d50 is None else p50 - d50
            line += (f" {f(added, 3)} | {f(med(m, c, s, t, 'proxy_cpu_us_per_req'))} |"
                     f" {f(peak(m, c, s, t, 'proxy_rss_mb'))} |")
    a = med(m, c, s, "authsome", "rps")
    line += f" {f(ratio(a, med(m, c, s, 'mitmproxy', 'rps')), 1)}x | {f(100 * (ratio(a, med(m, c, s, 'direct', 'rps')) or 0) if a else None)}% |"
    print(line)

bad = [(k, sum(r.get("errors") or 0 for r in v), sum(r.get("bad_status") or 0 for r in v),
        sum(r.get("bad_auth") or 0 for r in v)) for k, v in sorted(groups.items()) if k[3] != "direct"]
bad = [b for b in bad if any(b[1:])]
print("\nErrors / bad status / bad auth (proxied runs): " + ("none" if not bad else
      "; ".join(f"{k[3]} {k[0]} c={k[1]} {k[2]}: {e}/{s}/{a}" for k, e, s, a in bad)))

print("\n## Targets (issue 9)\n")
print("| target | case | measured | result |")
print("|---|---|---:|---|")


def row(name, case, value, ok):
    print(f"| {name} | {case} | {value} | {'-' if ok is None else ('met' if ok else 'MISSED')} |")


for c in sorted({k[1] for k in cases if k[0] == "ka"}):
    a, mi, d = (med("ka", c, "https", t, "rps") for t in ("authsome", "mitmproxy", "direct"))
    r = ratio(a, mi)
    row(">= 10x mitmproxy req/s", f"keep-alive https c={c}", f"{f(r, 1)}x", None if r is None else r >= 10)
    r = ratio(a, d)
    row(">= 40% of direct req/s", f"keep-alive https c={c}", f"{f(100 * r if r else None)}%", None if r is None else r >= 0.4)
for s in ("https", "http"):
    a, d = med("ka", 1, s, "authsome", "p50_ms"), med("ka", 1, s, "direct", "p50_ms")
    added = None if a is None or d is None else a - d
    row("added p50 < 0.5 ms", f"keep-alive {s} c=1", f"{f(added, 3)} ms", None if added is None else added < 0.5)
for c in sorted({k[1] for k in cases if k[0] == "noka"}):
    r = ratio(med("noka", c, "https", "authsome", "rps"), med("noka", c, "https", "mitmproxy", "rps"))
    row(">= 4x mitmproxy req/s", f"new connection per request https c={c}", f"{f(r, 1)}x", None if r is None else r >= 4)
rss = [x for x in (peak("ka", 64, s, "authsome", "proxy_rss_mb") for s in ("http", "https")) if x is not None]
row("RSS < 256 MB", "keep-alive c=64 (peak)", f"{f(max(rss) if rss else None)} MB", max(rss) < 256 if rss else None)
