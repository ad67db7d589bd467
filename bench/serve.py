"""A loopback HTTP file server for the benchmarks: serves one folder with sendfile(2), so the server is never
the bottleneck and reel and curl are measured against the same thing. Prints its port, then serves until killed."""
import http.server
import os
import socketserver
import sys

root = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = os.path.join(root, os.path.basename(self.path.split("?")[0]))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        size = os.path.getsize(path)
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(size))
        self.send_header("ETag", '"%x-%x"' % (size, int(os.path.getmtime(path))))
        self.end_headers()
        with open(path, "rb") as body:
            offset = 0
            while offset < size:
                sent = os.sendfile(self.wfile.fileno(), body.fileno(), offset, size - offset)
                if sent == 0:
                    break
                offset += sent

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
