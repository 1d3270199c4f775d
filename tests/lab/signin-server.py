#!/usr/bin/env python3
"""A loopback stand-in for Entra ID's device code endpoints and the two
Graph calls ndeswiz makes, scripted per test (--scenario). 127.0.0.1 only,
TLS with the test's own CA, and it exits by itself after --lifetime
seconds so a forgotten server cannot outlive its test.

It also checks what the client sends (form fields, scope, the bearer
token) and answers 400/401 when something is off, so a client bug shows
up as a failed test. The tokens it issues are written to STATE/tokens
only (the test greps every other file for them); the request log
(STATE/requests.log) never holds a secret.

Optionally (--proxy) a second port speaks HTTP CONNECT with Basic proxy
authentication, to prove the [proxy] settings are used.
"""
import argparse
import base64
import datetime
import http.server
import json
import os
import secrets
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse

TENANT = "contoso.onmicrosoft.com"
CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
GRANT = "urn:ietf:params:oauth:grant-type:device_code"
NDES01 = "NDES01.contoso.com"  # the machine under test ([binding] fqdn)

# scenario: devicecode answer, token answers in order (the last
# repeats), connectors answer
SCENARIOS = {
    "ok": ("ok", ["pending", "slow_down", "success"], "active"),
    "quick": ("ok", ["success"], "active"),
    "declined": ("ok", ["pending", "declined"], "active"),
    "access-denied": ("ok", ["access_denied"], "active"),
    "expired": ("ok", ["expired"], "active"),
    "bad-code": ("ok", ["bad_code"], "active"),
    "local-expiry": ("short", ["pending"], "active"),
    "pending": ("ok", ["pending"], "active"),
    "token-malformed": ("ok", ["malformed"], "active"),
    "token-500": ("ok", ["http500"], "active"),
    "token-unknown-error": ("ok", ["weird"], "active"),
    "devicecode-500": ("http500", [], "active"),
    "devicecode-malformed": ("malformed", [], "active"),
    "devicecode-incomplete": ("incomplete", [], "active"),
    "devicecode-slow": ("slow", [], "active"),
    "redirect": ("redirect", [], "active"),
    "no-tenant": ("no_tenant", [], "active"),
    "invalid-client": ("invalid_client", [], "active"),
    "inactive": ("ok", ["success"], "inactive"),
    "none": ("ok", ["success"], "none"),
    "missing": ("ok", ["success"], "missing"),
    "paged": ("ok", ["success"], "paged"),
    "foreign-next": ("ok", ["success"], "foreign_next"),
    "forbidden": ("ok", ["success"], "forbidden"),
    "connectors-malformed": ("ok", ["success"], "malformed"),
    "me-forbidden": ("ok", ["success"], "active_no_me"),
    "hostile-text": ("ok", ["success"], "hostile"),
}


def iso(hours_ago):
    t = datetime.datetime.now(datetime.timezone.utc) - \
        datetime.timedelta(hours=hours_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%S.1234567Z")


def connector(name, machine, state, hours_ago):
    return {"id": "id-" + name.lower(), "displayName": name,
            "machineName": machine, "state": state,
            "connectorVersion": "6.2301.1.0",
            "lastConnectionDateTime": iso(hours_ago),
            "enrolledDateTime": iso(24 * 90)}


OTHER = connector("NDES02", "ndes02.contoso.com", "active", 2)
CONNECTORS = {
    "active": [connector("NDES01", NDES01, "active", 1), OTHER],
    "active_no_me": [connector("NDES01", NDES01, "active", 1)],
    "inactive": [connector("NDES01", "ndes01", "inactive", 72), OTHER],
    "none": [],
    "missing": [OTHER],
    "hostile": [connector("EVIL\x1b[2J\u009b31m", NDES01, "active", 1)],
}


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.polls = 0
        self.device_code = "dc-" + secrets.token_hex(16)
        self.access_token = "at-" + secrets.token_hex(32)
        self.refresh_token = "rt-" + secrets.token_hex(32)
        self.id_token = "it-" + secrets.token_hex(32)
        self.port = 0
        with open(os.path.join(args.state, "tokens"), "w") as f:
            f.write("\n".join([self.device_code, self.access_token,
                               self.refresh_token, self.id_token]) + "\n")

    def log(self, line):
        with self.lock, open(os.path.join(self.args.state,
                                          "requests.log"), "a") as f:
            f.write("%.3f %s\n" % (time.monotonic(), line))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "signin-lab/1"

    def log_message(self, fmt, *args):  # nothing on stderr
        pass

    @property
    def st(self):
        return self.server.st

    def reply(self, status, body, ctype="application/json", extra=None):
        data = body if isinstance(body, bytes) else \
            json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def oauth_error(self, error, desc="", status=400):
        self.reply(status, {"error": error, "error_description": desc,
                            "error_codes": [70000]})

    def form(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n).decode()
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}

    def do_POST(self):
        path = urllib.parse.urlparse(self.path).path
        form = self.form()
        scen = SCENARIOS[self.st.args.scenario]
        if path == "/%s/oauth2/v2.0/devicecode" % TENANT:
            self.st.log("POST devicecode")
            return self.devicecode(form, scen[0])
        if path == "/%s/oauth2/v2.0/token" % TENANT:
            return self.token(form, scen[1])
        self.st.log("POST unknown " + path)
        self.oauth_error("invalid_request", "test server: no such path")

    def devicecode(self, form, how):
        graph = "https://127.0.0.1:%d/" % self.st.port
        want = {graph + "DeviceManagementConfiguration.Read.All",
                graph + "User.Read"}
        if form.get("client_id") != self.st.args.client_id:
            return self.oauth_error("invalid_request",
                                    "test server: wrong client_id")
        if set(form.get("scope", "").split()) != want:
            return self.oauth_error("invalid_request",
                                    "test server: wrong scope " +
                                    form.get("scope", ""))
        if how == "http500":
            return self.reply(500, b"<html>Internal Server Error</html>",
                              "text/html")
        if how == "malformed":
            return self.reply(200, b"{\"device_code\": \"x\", oops")
        if how == "incomplete":
            return self.reply(200, {"device_code": self.st.device_code,
                                    "user_code": "LAB-CODE",
                                    "verification_uri":
                                    "https://127.0.0.1/devicelogin"})
        if how == "slow":
            time.sleep(self.st.args.slow)
        if how == "redirect":
            return self.reply(302, b"", "text/html",
                              {"Location": "https://evil.example/x"})
        if how == "no_tenant":
            return self.oauth_error("invalid_request", "AADSTS90002: "
                                    "Tenant 'contoso' not found.")
        if how == "invalid_client":
            return self.oauth_error("invalid_client", "AADSTS7000218: "
                                    "public client flows are off.", 401)
        self.reply(200, {
            "device_code": self.st.device_code,
            "user_code": "LAB-CODE",
            "verification_uri": "https://127.0.0.1/devicelogin",
            "expires_in": 2 if how == "short" else 900,
            "interval": 1,
            "message": "To sign in, use a web browser to open the page "
                       "https://127.0.0.1/devicelogin and enter the code "
                       "LAB-CODE to authenticate.\x1b[31m"})

    def token(self, form, script):
        with self.st.lock:
            i = self.st.polls
            self.st.polls += 1
        how = script[min(i, len(script) - 1)]
        self.st.log("POST token %s" % how)
        if form.get("grant_type") != GRANT or \
                form.get("client_id") != self.st.args.client_id or \
                form.get("device_code") != self.st.device_code:
            return self.oauth_error("invalid_request",
                                    "test server: wrong token form")
        simple = {"pending": "authorization_pending",
                  "slow_down": "slow_down",
                  "declined": "authorization_declined",
                  "access_denied": "access_denied",
                  "expired": "expired_token",
                  "bad_code": "bad_verification_code",
                  "weird": "temporarily_unavailable"}
        if how in simple:
            return self.oauth_error(simple[how], "AADSTS: lab says " + how)
        if how == "malformed":
            return self.reply(200, b"{not json")
        if how == "http500":
            return self.reply(500, b"oops", "text/plain")
        self.reply(200, {"token_type": "Bearer",
                         "scope": "DeviceManagementConfiguration.Read.All "
                                  "User.Read",
                         "expires_in": 3600,
                         "access_token": self.st.access_token,
                         "refresh_token": self.st.refresh_token,
                         "id_token": self.st.id_token})

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        how = SCENARIOS[self.st.args.scenario][2]
        self.st.log("GET " + url.path)
        if self.headers.get("Authorization") != \
                "Bearer " + self.st.access_token:
            return self.reply(401, {"error": {
                "code": "InvalidAuthenticationToken",
                "message": "test server: wrong or no bearer token"}})
        if url.path == "/v1.0/me":
            if how == "active_no_me":
                return self.reply(403, {"error": {
                    "code": "Authorization_RequestDenied",
                    "message": "Insufficient privileges."}})
            return self.reply(200, {"userPrincipalName":
                                    "admin@" + TENANT,
                                    "displayName": "Lab Admin"})
        if url.path == "/beta/deviceManagement/ndesConnectors":
            return self.connectors(how, url.query)
        self.reply(404, {"error": {"code": "ResourceNotFound",
                                   "message": "no such path"}})

    def connectors(self, how, query):
        base = "https://127.0.0.1:%d/beta/deviceManagement/" \
               "ndesConnectors" % self.st.port
        if how == "forbidden":
            return self.reply(403, {"error": {
                "code": "Forbidden",
                "message": "Application is not authorized to perform "
                           "this operation."}})
        if how == "malformed":
            return self.reply(200, {"value": [{"displayName": "x"}, 42]})
        if how == "paged":
            if "skiptoken" not in query:
                return self.reply(200, {"value": [OTHER],
                                        "@odata.nextLink":
                                        base + "?$skiptoken=2"})
            return self.reply(200, {"value": [
                connector("NDES01", NDES01, "active", 1)]})
        if how == "foreign_next":
            return self.reply(200, {"value": [OTHER], "@odata.nextLink":
                                    "https://evil.example/next"})
        self.reply(200, {"@odata.context": "lab",
                         "value": CONNECTORS[how]})


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def relay(a, b):
    socks = [a, b]
    while True:
        r, _, _ = select.select(socks, [], [], 30)
        if not r:
            return
        for s in r:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)


class Proxy(http.server.BaseHTTPRequestHandler):
    """CONNECT only, to 127.0.0.1 only, with Basic authentication."""
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_CONNECT(self):
        st = self.server.st
        want = "Basic " + base64.b64encode(
            st.args.proxy_auth.encode()).decode()
        if self.headers.get("Proxy-Authorization") != want:
            st.log("PROXY 407")
            self.send_response(407)
            self.send_header("Proxy-Authenticate", 'Basic realm="lab"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        host, _, port = self.path.rpartition(":")
        st.log("PROXY CONNECT %s" % self.path)
        if host != "127.0.0.1":
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        up = socket.create_connection((host, int(port)), timeout=10)
        self.send_response(200, "Connection established")
        self.end_headers()
        relay(self.connection, up)
        up.close()
        self.close_connection = True


def publish(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % value)
    os.rename(tmp, path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--scenario", required=True, choices=sorted(SCENARIOS))
    p.add_argument("--state", required=True)
    p.add_argument("--client-id", default=CLIENT_ID)
    p.add_argument("--lifetime", type=float, default=120)
    p.add_argument("--slow", type=float, default=20)
    p.add_argument("--proxy-auth", default=None, help="user:password")
    args = p.parse_args()

    st = State(args)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.st = st
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(args.cert, args.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    st.port = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    if args.proxy_auth is not None:
        px = Server(("127.0.0.1", 0), Proxy)
        px.st = st
        threading.Thread(target=px.serve_forever, daemon=True).start()
        publish(os.path.join(args.state, "proxy-port"),
                px.server_address[1])
    publish(os.path.join(args.state, "port"), st.port)
    time.sleep(args.lifetime)
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
