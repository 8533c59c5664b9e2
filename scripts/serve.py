#!/usr/bin/env python3
"""Serve a directory (default: www/) on http://127.0.0.1:$PORT/ (PORT defaults to 8000).

Development server for the page: .wasm goes out as application/wasm (needed by
WebAssembly.instantiateStreaming), .js/.mjs as text/javascript, and every response carries
`Cache-Control: no-store` so a rebuilt www/pkg is picked up on reload.
Usage: scripts/serve.py [DIR]     (Ctrl-C stops it)
"""
import functools
import http.server
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def main():
    directory = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "www"))
    port = int(os.environ.get("PORT", "8000"))
    if not os.path.isdir(directory):
        sys.exit(f"serve: no directory {directory} (run `make build` first?)")
    handler = functools.partial(Handler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        shown = os.path.relpath(directory, ROOT)
        shown = directory if shown.startswith("..") else shown + "/"
        print(f"Serving {shown} at http://127.0.0.1:{port}/ (Ctrl-C stops)",
              flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
