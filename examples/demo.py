"""`make demo`: the whole promise, end to end, against a real Cloud Datastore emulator.

1. Start the emulator and a fault-injection proxy in front of it.
2. Run the legacy bulletin board (examples/guestbook) UNMODIFIED on the shim
   through ``compat.install()``, and drive it over WSGI: create threads and
   posts, list, page with cursors, view a thread.
3. Read-only mode: declare planned maintenance (the notice appears, a post is
   refused before any RPC); then make the proxy refuse commits (an unplanned
   outage: the refused write, the notice, recovery).
4. Convert a temporary copy of the app with ``db2ndb``, run the converted app
   on google-cloud-ndb against the same data, and check both give the same pages.

Exits non-zero on any mismatch; leaves no process behind.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
APP_DIR = os.path.join(HERE, "guestbook")
FAILURES = []


def say(text=""):
    print(text, flush=True)


def check(label, condition, detail=""):
    say("  [%s] %s%s" % ("ok" if condition else "FAIL", label, (" -- " + detail) if detail and not condition else ""))
    if not condition:
        FAILURES.append(label)
    return condition


class Worker:
    """One app process (shim or converted ndb) answering WSGI requests over a pipe."""

    def __init__(self, app_dir, mode, env, *extra):
        self.mode = mode
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "worker.py"), "--app-dir", app_dir, "--mode", mode] + list(extra),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        )
        ready = self.process.stdout.readline()
        if not ready:
            raise SystemExit("the %s worker did not start (see its error above)" % mode)

    def request(self, method, path, query="", form=None):
        self.process.stdin.write(json.dumps({"method": method, "path": path, "query": query, "form": form}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the %s worker died" % self.mode)
        return json.loads(line)

    def get(self, url):
        path, _, query = url.partition("?")
        return self.request("GET", path, query)

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _links(body, pattern):
    return re.findall(pattern, body)


def run_on_shim(shim, proxy):
    say("\n== 1. The legacy app, unmodified, on the shim ==")
    titles = ["お知らせ", "Python 3 migration", "Datastore tips", "花見の計画", "Release notes"]
    thread_urls = []
    for index, title in enumerate(titles):
        response = shim.request("POST", "/thread", form={"author": "taro", "title": title,
                                                          "body": "最初の投稿 #%d" % index})
        check("create thread %r -> %s" % (title, response["status"]), response["status"].startswith("303"))
        thread_urls.append(response["headers"]["Location"])
    reply = shim.request("POST", thread_urls[1] + "/post", form={"author": "hanako", "body": "返信です\nreply"})
    check("reply in a transaction -> %s" % reply["status"], reply["status"].startswith("303"))

    first = shim.get("/")
    check("list threads (GQL, page 1) -> %s" % first["status"], first["status"] == "200 OK")
    page_one = _links(first["body"], r'href="(/thread/[^"]+)"')
    next_links = _links(first["body"], r'class="next" href="([^"]+)"')
    check("page 1 shows 3 threads and a next-page cursor", len(page_one) == 3 and len(next_links) == 1)
    second = shim.get(next_links[0]) if next_links else {"body": ""}
    page_two = _links(second["body"], r'href="(/thread/[^"]+)"')
    check("page 2 (cursor from the URL) shows the other 2", len(page_two) == 2 and not set(page_two) & set(page_one))
    thread = shim.get(thread_urls[1])
    check("view a thread (back-reference query, posts in order)",
          thread["status"] == "200 OK" and thread["body"].index("最初の投稿") < thread["body"].index("返信です"))
    bad = shim.get("/?cursor=not-a-cursor")
    check("a garbage cursor from a URL gives 400, not a crash", bad["status"].startswith("400"))
    missing = shim.get("/thread/garbage")
    check("a garbage key from a URL gives 404, not a crash", missing["status"].startswith("404"))
    return ["/", next_links[0] if next_links else "/"] + thread_urls


def read_only(shim, proxy):
    from compat import capabilities

    say("\n== 2. Read-only (maintenance) mode ==")
    say("  planned maintenance: the operator declares a window (python -m compat.capabilities set ...)")
    capabilities.declare_maintenance("定期メンテナンス中です / Scheduled maintenance until 12:00 JST")
    page = shim.get("/")
    check("the listing shows the maintenance notice before anyone presses 'post'",
          'class="maintenance"' in page["body"] and "Scheduled maintenance" in page["body"])
    commits_before = proxy.calls.get("Commit", 0)
    refused = shim.request("POST", "/thread", form={"author": "jiro", "title": "during maintenance", "body": "x"})
    check("a post is refused with 503 + Retry-After", refused["status"].startswith("503")
          and "Retry-After" in refused["headers"])
    check("... before any RPC reached the datastore", proxy.calls.get("Commit", 0) == commits_before)
    capabilities.clear_maintenance()
    check("maintenance cleared: the notice is gone", 'class="maintenance"' not in shim.get("/")["body"])

    say("  unplanned: the database starts refusing writes (fault proxy: PERMISSION_DENIED on Commit)")
    import grpc

    proxy.reject_writes(grpc.StatusCode.PERMISSION_DENIED, "Datastore is in read-only mode")
    refused = shim.request("POST", "/thread", form={"author": "jiro", "title": "outage", "body": "x"})
    check("the write that discovers it gets the 503 page (CapabilityDisabledError)", refused["status"].startswith("503"))
    check("the listing now shows the notice (breaker open)", 'class="maintenance"' in shim.get("/")["body"])
    rejected = proxy.rejected.get("Commit", 0)
    again = shim.request("POST", "/thread", form={"author": "jiro", "title": "outage 2", "body": "x"})
    check("the next write is refused at once, without an RPC",
          again["status"].startswith("503") and proxy.rejected.get("Commit", 0) == rejected)
    proxy.allow_writes()
    time.sleep(1.2)  # the demo worker's breaker cool-down is 1 s
    recovered = shim.request("POST", "/thread", form={"author": "jiro", "title": "after the outage", "body": "ok"})
    check("writes are back: a single trial write succeeds and closes the breaker",
          recovered["status"].startswith("303") and 'class="maintenance"' not in shim.get("/")["body"])


def convert(workdir):
    say("\n== 3. db2ndb: convert a copy of the app to google-cloud-ndb ==")
    target = os.path.join(workdir, "guestbook")
    shutil.copytree(APP_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "README.md"))
    report = os.path.join(workdir, "report.json")
    result = subprocess.run([sys.executable, "-m", "codemods", "--to", "ndb", "--report", report, target],
                            capture_output=True, text=True, cwd=ROOT)
    say("  " + (result.stdout.strip().splitlines() or [""])[-1])
    check("db2ndb converted the app (exit %d)" % result.returncode, result.returncode in (0, 1),
          result.stderr[-2000:])
    todos = subprocess.run(["grep", "-rn", "TODO(db2ndb", target], capture_output=True, text=True).stdout
    check("no construct left for a human", not todos.strip(), todos)
    diff = subprocess.run(["diff", "-u", os.path.join(APP_DIR, "logic.py"), os.path.join(target, "logic.py")],
                          capture_output=True, text=True).stdout
    say("  excerpt of the conversion (logic.py):")
    for line in diff.splitlines()[2:40]:
        say("    " + line)
    return target


def compare(shim, converted, urls):
    say("\n== 4. The same data through both apps ==")
    width = max(len(url) for url in urls)
    say("  %-*s  %-12s %-12s %s" % (width, "page", "shim", "ndb", "same HTML"))
    for url in urls:
        a, b = shim.get(url), converted.get(url)
        same = a["status"] == b["status"] and a["body"] == b["body"]
        say("  %-*s  %-12s %-12s %s" % (width, url, a["status"][:12], b["status"][:12], "yes" if same else "NO"))
        if not same:
            FAILURES.append("page %s differs" % url)
            import difflib

            for line in list(difflib.unified_diff(a["body"].splitlines(), b["body"].splitlines(), "shim", "ndb",
                                                  lineterm=""))[:30]:
                say("      " + line)
    reply = converted.request("POST", urls[2] + "/post", form={"author": "ndb-user", "body": "written by the ndb app"})
    check("the converted app writes (transaction on ndb) -> %s" % reply["status"], reply["status"].startswith("303"))
    check("... and the shim reads what it wrote", "written by the ndb app" in shim.get(urls[2])["body"])


def main():
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")  # no gRPC chatter when the proxy shuts down
    sys.path.insert(0, ROOT)
    import compat
    from compat.testing import DatastoreFaultProxy, running_emulator

    say("Starting the Cloud Datastore emulator and a fault-injection proxy ...")
    workers = []
    workdir = tempfile.mkdtemp(prefix="compat-demo-")
    try:
        with running_emulator(project="compat-demo") as emulator:
            compat.reset_client()
            with DatastoreFaultProxy(emulator.host) as proxy:
                say("  emulator %s, proxy %s, project %s" % (emulator.host, proxy.host, emulator.project))
                env = dict(os.environ, DATASTORE_EMULATOR_HOST=proxy.host, DATASTORE_PROJECT_ID=emulator.project,
                           DATASTORE_DATASET=emulator.project, PYTHONPATH=ROOT)
                shim = Worker(APP_DIR, "shim", env, "--cooldown", "1", "--maintenance-cache", "0")
                workers.append(shim)
                urls = run_on_shim(shim, proxy)
                read_only(shim, proxy)
                target = convert(workdir)
                converted = Worker(target, "ndb", env)
                workers.append(converted)
                # bad input from URLs too: both apps must answer 404 / 400, never 500
                compare(shim, converted, urls + ["/thread/garbage", "/?cursor=not-a-cursor"])
    finally:
        for worker in workers:
            worker.close()
        shutil.rmtree(workdir, ignore_errors=True)
    say("")
    if FAILURES:
        say("DEMO FAILED: %d check(s) failed: %s" % (len(FAILURES), "; ".join(FAILURES)))
        return 1
    say("Demo finished: every check passed; the emulator and the proxy have been stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
