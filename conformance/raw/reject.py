"""The raw-HTTP client of the Switchboard conformance suite: the two requests of the Graph reference's "call: reject"
examples, sent byte for byte over a TLS socket (only Host, the token and the call id are filled in).

The templates reject-busy.http / reject-none.http hold the reference's request text; HTTP message text is
CRLF-delimited, so the body `{ "reason": "busy" }` on three lines is 24 bytes -- the reference's Content-Length: 24.

usage: python3 reject.py BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID
env:   SB_BASE_URL (https://host:port), SB_TENANT, SB_APP_ID, SB_APP_SECRET; SSL_CERT_FILE for a test CA
"""
import http.client
import json
import os
import socket
import ssl
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def wire_bytes(template: str, host: str, token: str, call_id: str) -> bytes:
    text = (HERE / template).read_text(encoding="utf-8")
    lines = text.rstrip("\n").split("\n")
    blank = lines.index("")
    head, body = lines[:blank], "\r\n".join(lines[blank + 1:]).encode("utf-8")
    head = [line.replace("{host}", host).replace("{token}", token).replace("{call-id}", call_id) for line in head]
    declared = next(int(line.split(":", 1)[1]) for line in head if line.lower().startswith("content-length:"))
    if declared != len(body):
        raise AssertionError(f"{template}: Content-Length {declared} but the body is {len(body)} bytes")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body


def send(base: urllib.parse.SplitResult, raw: bytes, context: ssl.SSLContext) -> tuple[int, bytes]:
    with socket.create_connection((base.hostname, base.port or 443), timeout=30) as plain:
        with context.wrap_socket(plain, server_hostname=base.hostname) as tls:
            tls.sendall(raw)
            response = http.client.HTTPResponse(tls, method="POST")
            response.begin()
            return response.status, response.read()


def token(base: str, tenant: str, app_id: str, secret: str, context: ssl.SSLContext) -> str:
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": app_id, "client_secret": secret,
                                   "scope": "https://graph.microsoft.com/.default"}).encode()
    with urllib.request.urlopen(f"{base}/{tenant}/oauth2/v2.0/token", data=form, context=context, timeout=30) as r:
        return json.load(r)["access_token"]


def main(busy_id: str, none_id: str, unknown_id: str) -> str:
    base = os.environ["SB_BASE_URL"].rstrip("/")
    parts = urllib.parse.urlsplit(base)
    context = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE"))
    bearer = token(base, os.environ["SB_TENANT"], os.environ["SB_APP_ID"], os.environ["SB_APP_SECRET"], context)
    for template, call_id in (("reject-busy.http", busy_id), ("reject-none.http", none_id)):
        status, body = send(parts, wire_bytes(template, parts.netloc, bearer, call_id), context)
        if status != 202:
            raise AssertionError(f"{template} for {call_id}: status {status}, want 202: {body[:300]!r}")
        if body:
            raise AssertionError(f"{template}: 202 with a body: {body[:300]!r}")
    status, body = send(parts, wire_bytes("reject-busy.http", parts.netloc, bearer, unknown_id), context)
    try:
        code = json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        raise AssertionError(f"reject of unknown call: status {status}, body is no Graph error: {body[:300]!r}")
    if status != 404 or code != "8522":
        raise AssertionError(f"reject of unknown call: status {status} code {code!r}, want 404 8522")
    return "reference requests (Content-Length: 24) -> 202, 202; unknown call -> 404 error.code 8522"


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("FAIL usage: reject.py BUSY_CALL_ID NONE_CALL_ID UNKNOWN_CALL_ID")
        sys.exit(2)
    try:
        print("OK " + main(*sys.argv[1:]))
    except Exception as e:
        print(f"FAIL {e if isinstance(e, AssertionError) else type(e).__name__ + ': ' + str(e)}")
        sys.exit(1)
