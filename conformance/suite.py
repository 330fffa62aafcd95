#!/usr/bin/env python3
"""Runs every conformance client against a Switchboard server it starts (stdlib only).

For each client: place two calls to the bot app as the caller app, learn the bot-side call ids from the bot's
`created` notifications, hand them (and an unknown id) to the client program, then check what the caller sees:
its `deleted` notification and GET of its call leg -> terminated with 486 (busy) and 603 (none).

The SDK clients (java, go, python) reach the server through a recording TLS relay: every byte they send is kept,
and the reject requests they sent are compared with recorded/reject-{busy,none}.http -- the request that every
Kiota-generated Graph SDK sends, C# and PHP included. The JavaScript client and the raw-HTTP client talk to the
server's https listener directly.

usage: suite.py --jar server/target/switchboard.jar [--clients java,go,...] [--record]
"""
import argparse
import gzip
import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("SWITCHBOARD_CONFORMANCE_CACHE") or HERE / ".cache")   # installed clients (run.sh)
LOCAL = HERE / ".cache"                                                           # this checkout's run and captures
RECORDED = HERE / "recorded"
ALL_CLIENTS = ["java", "go", "python", "js", "http"]
VIA_RELAY = {"java", "go", "python"}       # the Kiota-based SDKs whose requests are recorded
EXPECTED = {"busy": (486, "Busy"), "none": (603, "Declined")}


def log(msg: str) -> None:
    print(f"  [suite] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- test CA and server certificate (openssl)

def make_tls(d: Path) -> None:
    d.mkdir(parents=True)
    run = lambda *a: subprocess.run(a, cwd=d, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Switchboard conformance test CA",
        "-keyout", "ca-key.pem", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server-key.pem",
        "-out", "server.csr")
    (d / "server.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                                  "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
        "-days", "2", "-extfile", "server.ext", "-out", "server.pem")
    # PKCS#8 key (openssl 3 writes PKCS#8 already; be explicit), and the chain
    run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "server-key.pem", "-out", "server-key.p8.pem")
    (d / "server-chain.pem").write_text((d / "server.pem").read_text() + (d / "ca.pem").read_text())
    # Java trusts a PKCS#12 trust store (javax.net.ssl.trustStore)
    run("keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore", "ca.p12", "-storepass", "changeit",
        "-alias", "switchboard-conformance-ca", "-file", "ca.pem")


# ---------------------------------------------------------------- notification receiver (http, loopback)

class Inbox:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.items: list[tuple[str, dict]] = []   # (who, notification)

    def add(self, who: str, n: dict) -> None:
        with self.cond:
            self.items.append((who, n))
            self.cond.notify_all()

    def wait_for(self, pred, timeout: float):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for who, n in self.items:
                    if pred(who, n):
                        return n
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)


def start_receiver(inbox: Inbox) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()
            try:
                for n in json.loads(body).get("value", []):
                    inbox.add(self.path.strip("/"), n)
            except ValueError:
                log(f"unparseable notification to {self.path}: {body[:200]!r}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---------------------------------------------------------------- recording TLS relay

class Relay:
    """Terminates TLS with the test certificate, forwards bytes to the server over TLS, keeps what clients sent."""

    def __init__(self, tls_dir: Path, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_ctx.load_cert_chain(tls_dir / "server-chain.pem", tls_dir / "server-key.pem")
        self.server_ctx.set_alpn_protocols(["http/1.1"])
        self.client_ctx = ssl.create_default_context(cafile=str(tls_dir / "ca.pem"))
        self.client_ctx.set_alpn_protocols(["http/1.1"])
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.tag = "none"
        self.captures: list[tuple[str, bytearray]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        # One thread per connection, request then response, so that no TLS socket is used by two threads at once.
        buf = bytearray()
        with self.lock:
            self.captures.append((self.tag, buf))
        down = up = None
        try:
            down = self.server_ctx.wrap_socket(conn, server_side=True)
            up = self.client_ctx.wrap_socket(socket.create_connection(self.upstream), server_hostname=self.upstream[0])
            down_in, up_in = down.makefile("rb"), up.makefile("rb")
            while True:
                request, method, _ = read_message(down_in)
                if not request:
                    return
                buf.extend(request)
                up.sendall(request)
                while True:   # interim 1xx responses, then the final one
                    response, _, status = read_message(up_in, request_method=method)
                    if not response:
                        return
                    down.sendall(response)
                    if not 100 <= status < 200:
                        break
        except (OSError, ssl.SSLError, ValueError) as e:
            log(f"relay: connection ended: {type(e).__name__}: {e}")
        finally:
            for s in (down, up):
                if s is not None:
                    s.close()
            if down is None:
                conn.close()

    def requests_of(self, tag: str) -> list[dict]:
        with self.lock:
            streams = [bytes(b) for t, b in self.captures if t == tag]
        out = []
        for s in streams:
            out.extend(parse_requests(s))
        return out


def read_message(f, request_method: str | None = None) -> tuple[bytes, str, int]:
    """Reads one HTTP/1.1 message (a request, or the response to request_method) as raw bytes.
    Returns (bytes, method or "", status or 0); empty bytes at a clean end of the stream."""
    first = f.readline()
    if not first:
        return b"", "", 0
    raw = bytearray(first)
    headers = {}
    while True:
        line = f.readline()
        if not line:
            raise ValueError("connection closed inside a message head")
        raw.extend(line)
        if line in (b"\r\n", b"\n"):
            break
        k, _, v = line.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    parts = first.decode("latin-1").split()
    method, status = ("", int(parts[1])) if request_method is not None else (parts[0], 0)
    if request_method is not None and (request_method == "HEAD" or 100 <= status < 200 or status in (204, 304)):
        return bytes(raw), method, status
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size_line = f.readline()
            raw.extend(size_line)
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:   # trailers, then the blank line
                    line = f.readline()
                    raw.extend(line)
                    if line in (b"\r\n", b"\n", b""):
                        break
                break
            raw.extend(f.read(size + 2))
    elif "content-length" in headers:
        raw.extend(f.read(int(headers["content-length"])))
    elif request_method is not None:
        raw.extend(f.read())   # a response without a length ends with the connection
    return bytes(raw), method, status


def parse_requests(data: bytes) -> list[dict]:
    """Splits an HTTP/1.1 client byte stream into requests (Content-Length or chunked bodies)."""
    out = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            break
        head = data[:end].decode("latin-1").split("\r\n")
        rest = data[end + 4:]
        headers = [tuple(h.split(":", 1)) for h in head[1:]]
        headers = [(k, v.strip()) for k, v in headers]
        lower = {k.lower(): v for k, v in headers}
        if "content-length" in lower:
            n = int(lower["content-length"])
            body, rest = rest[:n], rest[n:]
        elif lower.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                line_end = rest.find(b"\r\n")
                size = int(rest[:line_end].split(b";")[0], 16)
                rest = rest[line_end + 2:]
                if size == 0:
                    rest = rest[rest.find(b"\r\n") + 2:]
                    break
                body += rest[:size]
                rest = rest[size + 2:]
        else:
            body = b""
        out.append({"line": head[0], "headers": headers, "body": body,
                    "raw": data[:len(data) - len(rest)]})
        data = rest
    return out


# ---------------------------------------------------------------- Graph calls the runner makes (as the caller app)

class Graph:
    def __init__(self, base: str, ca: Path) -> None:
        self.base = base
        self.url = urllib.parse.urlsplit(base)
        self.ctx = ssl.create_default_context(cafile=str(ca))

    def request(self, method: str, path: str, body=None, token=None, form=False):
        conn = http.client.HTTPSConnection(self.url.hostname, self.url.port, context=self.ctx, timeout=30)
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        if body is not None:
            if form:
                body = urllib.parse.urlencode(body)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                body = json.dumps(body)
                headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            return r.status, (json.loads(data) if data and data[:1] in b"{[" else data)
        finally:
            conn.close()

    def token(self, tenant: str, app: dict) -> str:
        status, body = self.request("POST", f"/{tenant}/oauth2/v2.0/token", {
            "grant_type": "client_credentials", "client_id": app["id"], "client_secret": app["secret"],
            "scope": "https://graph.microsoft.com/.default"}, form=True)
        if status != 200:
            raise RuntimeError(f"token for {app['name']}: {status} {body}")
        return body["access_token"]


# ---------------------------------------------------------------- the server

def start_server(jar: Path, work: Path, receiver_port: int) -> tuple[subprocess.Popen, str, dict]:
    tenant = str(uuid.uuid4())
    caller = {"id": str(uuid.uuid4()), "name": "conformance-caller", "secret": uuid.uuid4().hex}
    bot = {"id": str(uuid.uuid4()), "name": "conformance-bot", "secret": uuid.uuid4().hex}
    config = f"""# generated by conformance/suite.py
http:
  host: 127.0.0.1
  port: 0
  tls:
    certificate: tls/server-chain.pem
    privateKey: tls/server-key.p8.pem
dataDir: data
graph:
  answerTimeout: 60s
notifications:
  allowInsecureLoopback: true
tenants:
  - id: {tenant}
    apps:
      - id: {caller['id']}
        name: {caller['name']}
        secret: {caller['secret']}
        callbackUri: http://127.0.0.1:{receiver_port}/caller
        permissions: [Calls.Initiate.All]
      - id: {bot['id']}
        name: {bot['name']}
        secret: {bot['secret']}
        callbackUri: http://127.0.0.1:{receiver_port}/bot
        permissions: [Calls.JoinGroupCall.All, Calls.Initiate.All, Calls.AccessMedia.All]
"""
    (work / "switchboard.yaml").write_text(config)
    out = open(work / "server.log", "wb")
    proc = subprocess.Popen(["java", *os.environ.get("SWITCHBOARD_JAVA_OPTS", "").split(), "-jar", str(jar), "serve",
                             "--config", str(work / "switchboard.yaml")],
                            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    base = None
    while time.monotonic() < deadline and base is None:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{(work / 'server.log').read_text()[-3000:]}")
        m = re.search(r"listening on (https://\S+)", (work / "server.log").read_text(errors="replace"))
        if m:
            base = m.group(1).rstrip("/")
        else:
            time.sleep(0.1)
    if base is None:
        raise RuntimeError("server did not say where it listens within 60 s")
    return proc, base, {"tenant": tenant, "caller": caller, "bot": bot}


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------- one client

def client_command(name: str, work: Path) -> tuple[list[str], dict]:
    tls = work / "tls"
    if name == "java":
        cp_file = HERE / "java/target/classpath.txt"
        classes = HERE / "java/target/classes"
        if not cp_file.exists() or not (classes / "conformance/Reject.class").exists():
            raise FileNotFoundError("java client not built (conformance/java/target): run without --no-install")
        return (["java", f"-Djavax.net.ssl.trustStore={tls / 'ca.p12'}", "-Djavax.net.ssl.trustStorePassword=changeit",
                 "-Djavax.net.ssl.trustStoreType=PKCS12", "-cp", f"{classes}:{cp_file.read_text().strip()}",
                 "conformance.Reject"], {})
    if name == "go":
        exe = CACHE / "bin/reject-go"
        if not exe.exists():
            raise FileNotFoundError(f"go client not built ({exe}): run without --no-install")
        return [str(exe)], {"SSL_CERT_FILE": str(tls / "ca.pem")}
    if name == "python":
        py = CACHE / "venv/bin/python"
        if not py.exists():
            raise FileNotFoundError(f"python venv missing ({py}): run without --no-install")
        return [str(py), str(HERE / "python/reject.py")], {"SSL_CERT_FILE": str(tls / "ca.pem")}
    if name == "js":
        if not (HERE / "js/node_modules/@microsoft/microsoft-graph-client").exists():
            raise FileNotFoundError("js client not installed (conformance/js/node_modules): run without --no-install")
        return ["node", str(HERE / "js/reject.js")], {"NODE_EXTRA_CA_CERTS": str(tls / "ca.pem")}
    if name == "http":
        return [sys.executable, str(HERE / "raw/reject.py")], {"SSL_CERT_FILE": str(tls / "ca.pem")}
    raise ValueError(name)


def place_call(graph: Graph, env: dict, caller_token: str, inbox: Inbox) -> tuple[str, str]:
    """Places a call from the caller app to the bot app; returns (caller-side id, bot-side id)."""
    status, placed = graph.request("POST", "/v1.0/communications/calls", {
        "@odata.type": "#microsoft.graph.call",
        "callbackUri": f"{env['receiver']}/caller",
        "targets": [{"@odata.type": "#microsoft.graph.invitationParticipantInfo",
                     "identity": {"@odata.type": "#microsoft.graph.identitySet",
                                  "application": {"@odata.type": "#microsoft.graph.identity",
                                                  "id": env["bot"]["id"], "displayName": env["bot"]["name"]}}}],
        "requestedModalities": ["audio"],
        "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"},
    }, token=caller_token)
    if status != 201:
        raise RuntimeError(f"placing a call: {status} {placed}")
    chain = placed.get("callChainId")
    n = inbox.wait_for(lambda who, n: who == "bot" and n.get("changeType") == "created"
                       and n["resourceData"].get("callChainId") == chain and chain, 15)
    if n is None:
        raise RuntimeError(f"the bot got no 'created' notification for caller call {placed['id']} (chain {chain})")
    return placed["id"], n["resourceData"]["id"]


def caller_outcome(graph: Graph, caller_token: str, inbox: Inbox, caller_call: str, reason: str) -> str | None:
    """None when the caller saw the expected end of its call, else what was wrong."""
    code, message = EXPECTED[reason]
    n = inbox.wait_for(lambda who, n: who == "caller" and n.get("changeType") == "deleted"
                       and n["resourceData"].get("id") == caller_call, 15)
    if n is None:
        return f"caller got no 'deleted' notification for call {caller_call} ({reason})"
    data = n["resourceData"]
    ri = data.get("resultInfo") or {}
    if data.get("state") != "terminated" or ri.get("code") != code:
        return f"caller notification for {reason}: state {data.get('state')} resultInfo {ri}, want terminated {code}"
    status, call = graph.request("GET", f"/v1.0/communications/calls/{caller_call}", token=caller_token)
    if status != 200:
        return f"GET caller call {caller_call} ({reason}): {status} {call}"
    ri = call.get("resultInfo") or {}
    if call.get("state") != "terminated" or ri.get("code") != code or ri.get("message") != message:
        return f"GET caller call ({reason}): state {call.get('state')} resultInfo {ri}, want terminated {code} {message!r}"
    return None


# ---------------------------------------------------------------- what the SDKs sent vs recorded/

def decoded_body(req: dict) -> bytes:
    """The body, with a gzip Content-Encoding (the Go SDK's compression handler) undone."""
    h = {k.lower(): v for k, v in req["headers"]}
    return gzip.decompress(req["body"]) if h.get("content-encoding", "").lower() == "gzip" else req["body"]


def normalize(req: dict, call_id: str) -> bytes:
    """The request as sent, with the volatile parts (host, token, ids, runtime version) replaced by placeholders;
    a gzip-encoded body is kept decoded (its Content-Encoding and Content-Length headers stay as sent)."""
    out = [req["line"].replace(call_id, "{call-id}")]
    for k, v in req["headers"]:
        lk = k.lower()
        if lk == "host":
            v = "{host}"
        elif lk == "authorization":
            v = re.sub(r"Bearer \S+", "Bearer {token}", v)
        elif lk in ("client-request-id", "request-id"):
            v = "{uuid}"
        elif lk == "traceparent":
            v = "{traceparent}"
        v = re.sub(r"runtimeEnvironment=[^;)]*", "runtimeEnvironment={runtime}", v)
        out.append(f"{k}: {v}")
    return ("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + decoded_body(req)


def canonical(req: dict) -> bytes:
    """What every Kiota SDK sends: the request line, Content-Type, and the JSON body (before any content coding)."""
    line = re.sub(r"/calls/[^/]+/reject", "/calls/{call-id}/reject", req["line"])
    h = {k.lower(): v for k, v in req["headers"]}
    body = decoded_body(req)
    return (f"{line}\r\nContent-Type: {h.get('content-type')}\r\nContent-Length: {len(body)}\r\n\r\n"
            .encode("latin-1") + body)


def same_request(message: bytes) -> tuple:
    """A recorded request as compared: request line, body and header lines exact, header order ignored
    (Kiota Java keeps request headers in a hash map: their order changes from run to run)."""
    head, _, body = message.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    return lines[0], sorted(lines[1:]), body


def split(message: bytes) -> tuple[str, dict, bytes]:
    head, _, body = message.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    return lines[0], {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}, body


def check_recorded(name: str, relay: Relay, ids: dict, record: bool, client_ok: bool = True) -> tuple[str | None, str]:
    """(problem or None, note). Checks the SDK's reject requests against recorded/:
    - recorded/sdk/NAME-reject-REASON.http: this SDK's whole request, byte for byte but for the order of the headers
      (volatile parts as placeholders);
      a missing one is written (commit it), --record rewrites them all;
    - recorded/reject-REASON.http: the request of the Kiota SDKs (C# and PHP too): same request line and Content-Type,
      the same JSON body -- byte-identical, or the difference named in the note.
    When the client failed, only writes the recordings that are missing, and checks nothing."""
    reqs = [r for r in relay.requests_of(name) if r["line"].startswith("POST ") and "/reject " in r["line"]]
    problems, spaced, written = [], [], []
    for reason in ("busy", "none"):
        sent = [r for r in reqs if f"/{ids[reason]}/reject " in r["line"]]
        if len(sent) != 1:
            problems.append(f"the relay saw {len(sent)} reject requests for the {reason} call")
            continue
        whole = normalize(sent[0], ids[reason])
        (LOCAL / "captured").mkdir(exist_ok=True)
        (LOCAL / "captured" / f"{name}-reject-{reason}.http").write_bytes(whole)
        sdk_file = RECORDED / "sdk" / f"{name}-reject-{reason}.http"
        ref_file = RECORDED / f"reject-{reason}.http"
        if record or not sdk_file.exists():
            sdk_file.parent.mkdir(parents=True, exist_ok=True)
            sdk_file.write_bytes(whole)
            written.append(str(sdk_file.relative_to(HERE)))
        if not client_ok:
            continue
        if not ref_file.exists():
            problems.append(f"{ref_file.relative_to(HERE)} missing")
            continue
        if same_request(sdk_file.read_bytes()) != same_request(whole):
            problems.append(f"{reason}: sent {whole!r}, but {sdk_file.relative_to(HERE)} has {sdk_file.read_bytes()!r}")
        line, headers, body = split(canonical(sent[0]))
        ref_line, ref_headers, ref_body = split(ref_file.read_bytes())
        if line != ref_line or headers.get("content-type") != ref_headers.get("content-type"):
            problems.append(f"{reason}: sent {line!r} Content-Type {headers.get('content-type')!r}, recorded "
                            f"{ref_line!r} Content-Type {ref_headers.get('content-type')!r}")
        elif json.loads(body) != json.loads(ref_body):
            problems.append(f"{reason}: body {body!r}, recorded {ref_body!r}")
        elif body != ref_body:
            spaced.append(body.decode("utf-8"))
    if written:
        log(f"{name}: wrote {', '.join(written)} (new recordings: review and commit them)")
    if not client_ok:
        return None, ""
    note = "requests == recorded/reject-{busy,none}.http"
    note += " byte for byte" if not spaced else f", but for JSON whitespace: {' and '.join(spaced)}"
    return ("; ".join(problems) or None), note


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True, type=Path)
    ap.add_argument("--clients", default=",".join(ALL_CLIENTS))
    ap.add_argument("--record", action="store_true", help="write recorded/sdk/* (and recorded/*.http when missing)")
    ap.add_argument("--failed-installs", default="", help="clients (or 'server') whose install step failed")
    args = ap.parse_args()
    clients = [c for c in args.clients.split(",") if c]
    unknown = [c for c in clients if c not in ALL_CLIENTS]
    if unknown:
        ap.error(f"unknown clients {unknown}; known: {ALL_CLIENTS}")
    broken = {c for c in args.failed_installs.split(",") if c}
    results: list[tuple[str, bool, str]] = []
    for name in clients if "server" in broken else [c for c in clients if c in broken]:
        what = "the server jar" if "server" in broken else "its pinned SDK"
        results.append((name, False, f"{what} could not be installed (see {CACHE}/install-{'server' if 'server' in broken else name}.log)"))
        print(f"FAIL {name}: {results[-1][2]}", flush=True)
    clients = [c for c in clients if c not in {r[0] for r in results}]
    if not clients:
        print(f"0 passed, {len(results)} failed", flush=True)
        return 1

    work = LOCAL / "run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.rmtree(LOCAL / "captured", ignore_errors=True)
    inbox = Inbox()
    receiver = start_receiver(inbox)
    proc, why_not_run = None, "not run"
    try:
        make_tls(work / "tls")
        t0 = time.monotonic()
        proc, base, env = start_server(args.jar, work, receiver.server_address[1])
        env["receiver"] = f"http://127.0.0.1:{receiver.server_address[1]}"
        graph = Graph(base, work / "tls" / "ca.pem")
        deadline = time.monotonic() + 60
        while True:
            try:
                if graph.request("GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server not ready within 60 s")
            time.sleep(0.1)
        log(f"server up at {base} in {time.monotonic() - t0:.1f}s")
        relay = Relay(work / "tls", (graph.url.hostname, graph.url.port))
        relay_base = f"https://127.0.0.1:{relay.port}"
        caller_token = graph.token(env["tenant"], env["caller"])

        for name in clients:
            t = time.monotonic()
            try:
                ok, detail = run_client(name, work, graph, env, caller_token, inbox, relay, relay_base, args.record)
            except Exception as e:  # a client that cannot run fails, loudly
                ok, detail = False, f"{type(e).__name__}: {e}"
            results.append((name, ok, f"{detail} ({time.monotonic() - t:.1f}s)"))
            print(f"{'PASS' if ok else 'FAIL'} {name}: {results[-1][2]}", flush=True)
    except Exception as e:
        why_not_run = f"not run: {type(e).__name__}: {' '.join(str(e).split())[:500]}"
        log(f"suite error: {why_not_run} (server log: {work / 'server.log'})")
    finally:
        if proc is not None:
            stop_server(proc)
        receiver.shutdown()
    for name in [c for c in clients if c not in {r[0] for r in results}]:
        print(f"FAIL {name}: {why_not_run}", flush=True)
        results.append((name, False, why_not_run))
    passed = sum(1 for r in results if r[1])
    print(f"{passed} passed, {len(results) - passed} failed", flush=True)
    return 0 if passed == len(results) else 1


def run_client(name, work, graph, env, caller_token, inbox, relay, relay_base, record) -> tuple[bool, str]:
    cmd, extra_env = client_command(name, work)
    busy_caller, busy_bot = place_call(graph, env, caller_token, inbox)
    none_caller, none_bot = place_call(graph, env, caller_token, inbox)
    unknown = str(uuid.uuid4())
    via_relay = name in VIA_RELAY
    relay.tag = name
    child_env = {**os.environ, **extra_env, "SB_BASE_URL": relay_base if via_relay else graph.base,
                 "SB_TENANT": env["tenant"], "SB_APP_ID": env["bot"]["id"], "SB_APP_SECRET": env["bot"]["secret"]}
    try:
        p = subprocess.run(cmd + [busy_bot, none_bot, unknown], env=child_env, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        return False, "client did not finish within 180 s"
    finally:
        relay.tag = "none"
    lines = [l for l in p.stdout.splitlines() if l.startswith(("OK ", "FAIL "))]
    said = lines[-1] if lines else ""
    if p.returncode != 0 or not said.startswith("OK "):
        if via_relay:
            check_recorded(name, relay, {"busy": busy_bot, "none": none_bot}, record, client_ok=False)
        tail = (p.stdout + p.stderr).strip().splitlines()[-8:]
        return False, f"exit {p.returncode}: {said or ' | '.join(tail)}"
    problems = [caller_outcome(graph, caller_token, inbox, busy_caller, "busy"),
                caller_outcome(graph, caller_token, inbox, none_caller, "none")]
    note = ""
    if via_relay:
        problem, note = check_recorded(name, relay, {"busy": busy_bot, "none": none_bot}, record)
        problems.append(problem)
        note = "; " + note if note else ""
    problems = [x for x in problems if x]
    if problems:
        return False, f"{said[3:]}; but {'; '.join(problems)}"
    return True, f"{said[3:]}; caller saw terminated 486 Busy, 603 Declined{note}"


if __name__ == "__main__":
    sys.exit(main())
