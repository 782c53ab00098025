#!/usr/bin/python3
"""The DNSSEC tests' loopback HTTPS server (python3's http.server and ssl, a certificate of the
tests' CA): GET /.well-known/mta-sts.txt answers the MTA-STS policy of the domain named by the
Host header (mta-sts.DOMAIN -> POLICIES/DOMAIN, 404 when there is none); POST to any path stores
the body and headers as POSTS/N.body and POSTS/N.headers (a TLS-RPT report receiver). Bodies are
capped at 1 MiB, each connection has a 10 s timeout, and the server exits by itself after
--lifetime seconds, so a test run that dies leaves nothing behind for long."""
import argparse
import http.server
import os
import ssl
import threading

MAX_BODY = 1024 * 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--policies", required=True)
    parser.add_argument("--posts", required=True)
    parser.add_argument("--lifetime", type=int, default=900)
    args = parser.parse_args()
    counter = [0]
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = 10
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            body = None
            if self.path == "/.well-known/mta-sts.txt" and host.startswith("mta-sts."):
                path = os.path.join(args.policies, os.path.basename(host[len("mta-sts."):]))
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        body = f.read()
            if body is None:
                self.reply(404, b"no policy\n")
            else:
                self.reply(200, body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or "0")
            if length < 0 or length > MAX_BODY:
                self.reply(413, b"too large\n")
                return
            body = self.rfile.read(length)
            with lock:
                counter[0] += 1
                number = counter[0]
            stem = os.path.join(args.posts, str(number))
            with open(stem + ".headers.tmp", "w") as f:
                f.write("POST " + self.path + "\n" + str(self.headers))
            with open(stem + ".body.tmp", "wb") as f:
                f.write(body)
            os.rename(stem + ".headers.tmp", stem + ".headers")
            os.rename(stem + ".body.tmp", stem + ".body")
            self.reply(200, b"stored\n")

        def reply(self, code, body):
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *values):
            print("https_server: " + (fmt % values), flush=True)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def get_request(self):
            # The handshake happens in the connection's thread, on its first read (under its timeout).
            sock, address = self.socket.accept()
            return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    server = Server(("127.0.0.1", args.port), Handler)
    threading.Timer(args.lifetime, lambda: os._exit(0)).start()
    print("https_server: listening on 127.0.0.1:%d" % args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
