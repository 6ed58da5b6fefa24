"""A local stand-in for Kaggle's REST API (127.0.0.1 only) for the `ctxbench
data fetch` tests: the official client's competition download path
GET /api/v1/competitions/data/download-all/<competition> with HTTP basic auth,
the file list GET /api/v1/competitions/data/list/<competition> (a JSON array
of {ref, name, totalBytes, creationDate, url} as the v1 API answers; with
paged=True the {"files": [...], "nextPageToken"} form, two files a page), one
data file GET /api/v1/competitions/data/download/<competition>/<name> (name
percent-encoded; served from data_files through a 302 to storage, as bytes
given: a zipped file is a zip archive),
Kaggle's status codes (401 bad key, 403 rules not accepted, 404 unknown
competition) and a 302 to a storage URL as the real endpoint answers.

Each competition has a behaviour: ("zip", bytes) serves the archive through a
redirect; "rules" answers 403; ("truncated", bytes) promises the whole archive
but closes after half of it; ("slow", bytes) trickles it out (for Ctrl-C)."""

import base64
import http.server
import json
import urllib.parse
import threading
import time


class KaggleServer:
    def __init__(self, username, key, competitions, file_lists=None, paged=False,
                 data_files=None):
        self.expected_auth = "Basic " + base64.b64encode(f"{username}:{key}".encode()).decode()
        self.competitions = competitions
        self.file_lists = file_lists or {}  # competition -> [(name, bytes)]
        self.paged = paged
        self.data_files = data_files or {}  # competition -> {name: bytes}
        self.requests = []  # (path, Authorization header or None)
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send_bytes(self, status, body, length=None, chunk_delay=0.0):
                self.send_response(status)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                try:
                    if chunk_delay:
                        for i in range(0, len(body), 1024):
                            self.wfile.write(body[i:i + 1024])
                            self.wfile.flush()
                            time.sleep(chunk_delay)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client went away (Ctrl-C test)

            def send_json(self, value):
                body = json.dumps(value).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def list_files(self, name):
                path, _, query = name.partition("?")
                files = server.file_lists.get(path)
                if files is None:
                    status = 403 if server.competitions.get(path) == "rules" else 404
                    self.send_bytes(status, b'{"code":%d}' % status)
                    return
                rows = [{"ref": n, "name": n, "totalBytes": b,
                         "creationDate": "2017-12-18T21:19:56.39Z",
                         "url": f"https://www.kaggle.com/c/{path}/download/{n}",
                         "description": ""} for n, b in files]
                if not server.paged:
                    self.send_json(rows)
                    return
                start = int(urllib.parse.parse_qs(query).get("pageToken", ["0"])[0])
                page = {"files": rows[start:start + 2]}
                if start + 2 < len(rows):
                    page["nextPageToken"] = str(start + 2)
                self.send_json(page)

            def do_GET(self):
                auth = self.headers.get("Authorization")
                server.requests.append((self.path, auth))
                prefix = "/api/v1/competitions/data/download-all/"
                list_prefix = "/api/v1/competitions/data/list/"
                file_prefix = "/api/v1/competitions/data/download/"
                if self.path.startswith(file_prefix):
                    if auth != server.expected_auth:
                        self.send_bytes(401, b'{"code":401,"message":"Unauthenticated"}')
                        return
                    comp, _, quoted = self.path[len(file_prefix):].partition("/")
                    if urllib.parse.unquote(quoted) not in server.data_files.get(comp, {}):
                        self.send_bytes(404, b'{"code":404,"message":"Not found"}')
                        return
                    self.send_response(302)
                    self.send_header("Location", f"/storage-file/{comp}/{quoted}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path.startswith("/storage-file/"):
                    comp, _, quoted = self.path[len("/storage-file/"):].partition("/")
                    self.send_bytes(200, server.data_files[comp][urllib.parse.unquote(quoted)])
                    return
                if self.path.startswith(list_prefix):
                    if auth != server.expected_auth:
                        self.send_bytes(401, b'{"code":401,"message":"Unauthenticated"}')
                    else:
                        self.list_files(self.path[len(list_prefix):])
                    return
                if self.path.startswith("/storage/"):
                    name = self.path[len("/storage/"):-len(".zip")]
                    self.send_bytes(200, server.competitions[name][1])
                    return
                if not self.path.startswith(prefix):
                    self.send_bytes(404, b'{"code":404,"message":"Not found"}')
                    return
                if auth != server.expected_auth:
                    self.send_bytes(401, b'{"code":401,"message":"Unauthenticated"}')
                    return
                name = self.path[len(prefix):]
                behaviour = server.competitions.get(name)
                if behaviour is None:
                    self.send_bytes(404, b'{"code":404,"message":"Competition not found"}')
                elif behaviour == "rules":
                    self.send_bytes(403, b'{"code":403,"message":"You must accept this '
                                    b'competition\'s rules before you\'ll be able to download '
                                    b'files."}')
                elif behaviour[0] == "zip":
                    self.send_response(302)
                    self.send_header("Location", f"/storage/{name}.zip")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif behaviour[0] == "truncated":
                    body = behaviour[1]
                    self.send_bytes(200, body[:len(body) // 2], length=len(body))
                    self.close_connection = True
                elif behaviour[0] == "slow":
                    self.send_bytes(200, behaviour[1], chunk_delay=0.05)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
