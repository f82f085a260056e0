"""mitmproxy addon for the proxy benchmark: the same injection authsome does, as mitmproxy users write it.

Adapted from the shared benchmark harness (tools/bench-proxy/inject_auth.py); added: RESOLVE, so a .test upstream
name needs no /etc/hosts entry (like authsome's AUTHSOME_PROXY_RESOLVE and curl's --resolve).

Config via env: INJECT_HOSTS (comma-separated host names, default 127.0.0.1), INJECT_TOKEN (default perf-test-token),
RESOLVE ('host:port=addr:port,...': dial addr:port for host:port; TLS SNI and certificate checks keep the name).
Sets `Authorization: Bearer <token>` for plain HTTP proxying and for HTTPS after CONNECT + interception.
"""
import os
from mitmproxy import http

HOSTS = frozenset(h.strip().lower() for h in os.environ.get("INJECT_HOSTS", "127.0.0.1").split(",") if h.strip())
VALUE = "Bearer " + os.environ.get("INJECT_TOKEN", "perf-test-token")


def _parse_resolve(spec):
    out = {}
    for item in filter(None, (i.strip() for i in spec.split(","))):
        src, dst = item.split("=", 1)
        sh, sp = src.rsplit(":", 1)
        dh, dp = dst.rsplit(":", 1)
        out[(sh.lower(), int(sp))] = (dh, int(dp))
    return out


RESOLVE = _parse_resolve(os.environ.get("RESOLVE", ""))


class InjectAuth:
    def request(self, flow: http.HTTPFlow) -> None:
        # pretty_host: the Host header, or the CONNECT authority; request.host follows a RESOLVE mapping (the address)
        if flow.request.pretty_host.lower() in HOSTS:
            flow.request.headers["Authorization"] = VALUE
        # plain http: point the request itself at the mapped address (keeping its Host header), so that mitmproxy's
        # server connection matches the request and is reused; the https upstream is mapped in server_connect
        mapped = RESOLVE.get((flow.request.host.lower(), flow.request.port))
        if mapped:
            host_header = flow.request.host_header
            flow.request.host, flow.request.port = mapped
            flow.request.host_header = host_header

    def server_connect(self, data) -> None:
        addr = data.server.address
        if addr and RESOLVE:
            mapped = RESOLVE.get((str(addr[0]).lower(), int(addr[1])))
            if mapped:
                data.server.address = mapped


addons = [InjectAuth()]
