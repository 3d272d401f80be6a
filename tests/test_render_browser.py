"""The HTML view in a real browser: headless Chromium driven over the DevTools protocol.

One browser for the module. Every page is loaded from file://; the tests watch the console, uncaught
exceptions, log entries, JavaScript dialogs and every network request the page makes. A canary page
first proves that these detectors do fire, so a quiet run means something.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import networkx as nx
import pytest
import websocket

from graph.render import render_html
from tests.test_render import DY, XSS_LABEL, XSS_SENTENCE, XSS_TITLE, sample_view

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).exists()), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--window-size=1280,800"]


class Chromium:
    """A headless Chromium and one page, spoken to over the Chrome DevTools Protocol."""

    def __init__(self, profile: Path):
        self.profile = profile
        self.proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                      "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = self._port(profile / "DevToolsActivePort", timeout=20)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            page = next(t for t in json.load(resp) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=20, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable")

    def _port(self, path: Path, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}")
            if path.exists() and path.read_text().strip():
                return int(path.read_text().split()[0])
            time.sleep(0.05)
        raise TimeoutError("chromium did not open its DevTools port")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def send(self, method: str, params: dict | None = None) -> dict:
        self.next_id += 1
        mid = self.next_id
        self.ws.send(json.dumps({"id": mid, "method": method, "params": params or {}}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self._event(msg)

    def _event(self, msg: dict):
        self.events.append(msg)
        if msg["method"] == "Page.javascriptDialogOpening":
            # Answer without waiting: the page is blocked until the dialog is closed.
            self.next_id += 1
            self.ws.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                     "params": {"accept": True}}))

    def eval(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {expression}")

    def open(self, path: Path, ready: str = "window.cmkgReady === true", timeout: float = 15.0):
        self.events.clear()
        self.send("Page.navigate", {"url": path.as_uri()})
        if ready:
            self.wait_for(ready, timeout)

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"]))
        return path

    # what the page did
    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                out.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif e["method"] == "Runtime.exceptionThrown":
                details = p["exceptionDetails"]
                out.append("exception: " + str(details.get("exception", {}).get("description", details.get("text"))))
            elif e["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
                out.append(f"log ({p['entry']['source']}): {p['entry']['text']}")
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    def dialogs(self) -> list[str]:
        return [e["params"]["message"] for e in self.events if e["method"] == "Page.javascriptDialogOpening"]


def remote(urls: list[str]) -> list[str]:
    return [u for u in urls if not u.startswith(("file://", "data:"))]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return render_html(sample_view(), tmp_path_factory.mktemp("render") / "graph.html", title="Browser test",
                       show_all=True)


def test_detectors_fire_on_a_canary_page(browser, tmp_path):
    """The hooks this module relies on do see a dialog, an error and a remote request."""
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/probe.png">'
                      '<script>console.error("canary"); alert("canary"); window.done = true;</script>',
                      encoding="utf-8")
    browser.open(canary, ready="window.done === true")
    time.sleep(0.2)
    browser.eval("1")  # drain pending events
    assert "canary" in browser.dialogs()
    assert any("canary" in e for e in browser.errors())
    assert remote(browser.requests()) == ["http://127.0.0.1:9/probe.png"]


def test_page_draws_offline_without_errors(browser, page, tmp_path):
    browser.open(page)
    shot = browser.screenshot(tmp_path / "graph.png")
    assert shot.stat().st_size > 10_000
    assert browser.errors() == []
    assert remote(browser.requests()) == [], "the page loaded something from outside file://"
    assert browser.eval("cmkgNetwork.body.data.nodes.length") == sample_view().number_of_nodes()
    assert browser.eval("cmkgNetwork.body.nodeIndices.length") == sample_view().number_of_nodes()
    assert browser.eval("cmkgNetwork.physics.physicsEnabled") is False  # the layout settled and stopped
    painted = browser.eval("""(() => {
        const c = document.querySelector('#cmkg-network canvas');
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) n++; }
        return n; })()""")
    assert painted > 2_000, f"the canvas is nearly blank ({painted} painted pixels)"
    legend = browser.eval("document.getElementById('cmkg-legend').textContent")
    assert "Mineral group" in legend and "depends on" in legend and "export control" in legend


def test_search_box_finds_and_selects_a_node(browser, page):
    browser.open(page)
    dy_id = browser.eval(f"JSON.parse(document.getElementById('cmkg-data').textContent)"
                         f".nodes.find(n => n.iri === {json.dumps(DY)}).id")
    browser.eval("document.getElementById('cmkg-search-input').focus()")
    browser.send("Input.insertText", {"text": "Dy"})  # an alt label, typed
    for kind in ("keyDown", "keyUp"):
        browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""})
    browser.wait_for("cmkgNetwork.getSelectedNodes().length === 1")
    assert browser.eval("cmkgNetwork.getSelectedNodes()") == [dy_id]
    assert browser.eval("document.querySelector('#cmkg-details h3').textContent") == "dysprosium"
    assert "Found dysprosium" in browser.eval("document.getElementById('cmkg-status').textContent")
    # the chain button shows dysprosium's chain only: not gallium, not the hostile company
    shown = browser.eval("(document.getElementById('cmkg-chain').click(),"
                         " cmkgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.label.replace(/\\n/g, ' ')).sort())")
    assert shown == sorted(["dysprosium", "heavy rare earth elements", "rare earth elements", "permanent magnets",
                            "electric motors", "electric vehicles", "wind power", "China"])
    assert browser.errors() == []


def test_hostile_article_text_does_not_run(browser, page, tmp_path):
    browser.open(page)
    # the hostile node: hovered with the mouse, then found by its label through the search
    hostile = browser.eval(f"JSON.parse(document.getElementById('cmkg-data').textContent)"
                           f".nodes.find(n => n.label === {json.dumps(XSS_LABEL)}).id")
    x, y = browser.eval(f"""(() => {{
        const p = cmkgNetwork.canvasToDOM(cmkgNetwork.getPositions([{hostile}])[{hostile}]);
        const r = document.getElementById('cmkg-network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }})()""")
    browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
    browser.wait_for("!document.getElementById('cmkg-tooltip').hidden")
    assert XSS_LABEL in browser.eval("document.getElementById('cmkg-tooltip').textContent")
    assert browser.eval(f"cmkgFind({json.dumps('<script>window.__pwned')})") == hostile
    assert XSS_LABEL in browser.eval("document.getElementById('cmkg-details').textContent")
    # every edge's evidence in the details panel and the tooltip
    edge_ids = browser.eval("cmkgNetwork.body.data.edges.getIds()")
    details, hrefs = [], []
    for eid in edge_ids:
        browser.eval(f"cmkgNetwork.emit('hoverEdge', {{edge: {eid}}});"
                     f" cmkgNetwork.emit('click', {{nodes: [], edges: [{eid}]}}); true")
        details.append(browser.eval("document.getElementById('cmkg-details').textContent"))
        hrefs += browser.eval("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    text = "\n".join(details)
    assert XSS_SENTENCE in text and XSS_TITLE in text and "javascript:window.__pwned=4" in text
    browser.screenshot(tmp_path / "hostile.png")
    browser.eval("1")
    assert browser.dialogs() == []
    assert browser.eval("typeof window.__pwned") == "undefined"
    # nothing was parsed as markup: no injected elements, and the only links are http(s)
    assert browser.eval("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert browser.eval("document.scripts.length") == 3
    assert hrefs and set(hrefs) == {"https://example.com/magnets"}
    assert browser.errors() == []
    assert remote(browser.requests()) == []


def test_empty_graph_page_says_it_is_empty(browser, tmp_path):
    path = render_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    browser.open(path)
    assert browser.eval("cmkgNetwork.body.data.nodes.length") == 0
    notice = browser.eval("(() => { const n = document.getElementById('cmkg-notice');"
                          " return n.hidden ? '' : n.textContent; })()")
    assert "empty" in notice
    assert browser.errors() == [] and remote(browser.requests()) == []
