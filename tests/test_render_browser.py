"""The HTML view in a real browser: headless Chromium driven over the DevTools protocol.

One browser for the module. Every page is loaded from file://; the tests watch the console, uncaught
exceptions, log entries, JavaScript dialogs and every network request the page makes. A canary page
first proves that these detectors do fire, so a quiet run means something.
"""

from __future__ import annotations

import base64
import json
import os
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


# ---------------------------------------------------------------- the full view a user gets from `cmkg build`
#
# The pages below are what `cmkg build` writes for the shipped seeds and reference data. The tests look at
# them as a person would: what is drawn, which labels can be read at the first zoom, what a click shows.
# Screenshots go to each test's temporary folder; with CMKG_UPDATE_SCREENSHOTS=1 they are also copied to
# docs/screenshots/ (the pictures the README shows).

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
MIN_LABELS_AT_FIRST_ZOOM = 15


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from graph.build import build
    from graph.render import render_store_report
    from graph.store import open_store
    from tests.conftest import SEEDS

    work = tmp_path_factory.mktemp("built")
    report = build([str(SEEDS)], work / "out", work / "store", validate=False, question=None)
    with open_store(work / "store", read_only=True) as store:
        focus = render_store_report(store, work / "out" / "dysprosium.html", focus="dysprosium")
    return {"full": report.files["html"], "focus": focus.path}


def keep_screenshot(browser, tmp_path: Path, name: str) -> Path:
    """Screenshot into the test's folder, checked not blank (in the browser itself), copied to docs/ if asked."""
    shot = browser.screenshot(tmp_path / name)
    data = base64.b64encode(shot.read_bytes()).decode("ascii")
    stats = browser.eval(f"""new Promise(done => {{
        const img = new Image();
        img.onload = () => {{
            const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
            const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
            const px = ctx.getImageData(0, 0, c.width, c.height).data;
            const colours = new Set(); let ink = 0;
            for (let i = 0; i < px.length; i += 16) {{
                colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
                if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) ink++;
            }}
            done({{w: img.width, h: img.height, colours: colours.size, ink: ink}});
        }};
        img.src = 'data:image/png;base64,{data}';
    }})""")
    assert stats["w"] >= 1000 and stats["h"] >= 600, stats
    assert stats["colours"] > 50 and stats["ink"] > 5_000, f"{name} looks blank: {stats}"
    if os.environ.get("CMKG_UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOTS / name)
    return shot


def payload_of(path: Path) -> dict:
    from tests.test_render import data_block

    return data_block(path.read_text(encoding="utf-8"))


def test_full_view_reads_at_first_sight(browser, built, tmp_path):
    browser.open(built["full"], timeout=30)
    assert browser.errors() == [] and remote(browser.requests()) == []
    payload = payload_of(built["full"])
    # no isolated node: every node drawn has an edge drawn
    lonely = browser.eval("""(() => {
        const shown = new Set(cmkgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id));
        const linked = new Set();
        cmkgNetwork.body.data.edges.get({filter: e => !e.hidden}).forEach(e => {
            if (shown.has(e.from) && shown.has(e.to)) { linked.add(e.from); linked.add(e.to); } });
        return Array.from(shown).filter(id => !linked.has(id)).length; })()""")
    assert lonely == 0
    assert browser.eval("cmkgNetwork.body.data.nodes.get({filter: n => !n.hidden}).length") == len(payload["nodes"])
    # the flow reads one way: minerals on the left, industries on the right
    xs = browser.eval("""(() => { const pos = cmkgNetwork.getPositions(); const data = JSON.parse(
        document.getElementById('cmkg-data').textContent); const out = {};
        data.nodes.forEach(n => { (out[n.type] = out[n.type] || []).push(pos[n.id].x); }); return out; })()""")
    assert max(xs["Mineral"]) < min(xs["Industry"])
    assert max(xs["Country"]) < min(xs["Material"])
    # readable labels at the first zoom, none cut by the edge of the drawing
    labels = browser.eval("cmkgLabels()")
    assert labels["drawn"] >= MIN_LABELS_AT_FIRST_ZOOM, labels
    assert labels["cut"] == 0, labels
    assert {"China", "rare earth elements"} <= set(labels["names"])
    keep_screenshot(browser, tmp_path, "full-view.png")
    # zoomed in, every label in sight is drawn
    dy = next(n["id"] for n in payload["nodes"] if n["label"] == "dysprosium")
    browser.eval(f"new Promise(done => {{ cmkgNetwork.once('afterDrawing', () => done(true));"
                 f" cmkgNetwork.moveTo({{position: cmkgNetwork.getPositions([{dy}])[{dy}], scale: 1.2,"
                 f" animation: false}}); cmkgNetwork.redraw(); }})")
    zoomed = browser.eval("cmkgLabels()")
    in_sight = browser.eval("""(() => { const r = document.getElementById('cmkg-network').getBoundingClientRect();
        const pos = cmkgNetwork.getPositions(); return Object.keys(pos).filter(id => {
            const p = cmkgNetwork.canvasToDOM(pos[id]); return p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height;
        }).length; })()""")
    assert zoomed["drawn"] >= in_sight > 0
    # the legend counts what is shown; after the chain view, only the chain
    legend = browser.eval("document.getElementById('cmkg-legend').textContent")
    assert "Nodes shown" in legend
    minerals = sum(1 for n in payload["nodes"] if n["type"] == "Mineral")
    count = "Array.from(document.querySelectorAll('#cmkg-legend li')).find(li => li.textContent.startsWith('" \
            "\\u25cfMineral')).querySelector('.count').textContent"
    assert browser.eval(count) == str(minerals)
    browser.eval("cmkgShowChain(cmkgFind('dysprosium'))")
    assert browser.eval(count) == "1"
    # uses stated for a group as a whole are drawn apart and hidden on request
    browser.eval("cmkgShowAll(); true")
    group_level = [e["id"] for e in payload["edges"] if e.get("group_level")]
    assert group_level, "the seeds and reference data state uses for groups"
    assert browser.eval(f"cmkgNetwork.body.data.edges.get({group_level[0]}).dashes") is True
    browser.eval("document.getElementById('cmkg-groups').click(); true")
    assert browser.eval(f"cmkgNetwork.body.data.edges.get({json.dumps(group_level)}).every(e => e.hidden)") is True
    assert browser.errors() == []


def test_details_speak_plain_words(browser, built):
    browser.open(built["full"], timeout=30)
    data = payload_of(built["full"])
    china = next(n["id"] for n in data["nodes"] if n["label"] == "China")
    dy = next(n["id"] for n in data["nodes"] if n["label"] == "dysprosium")
    edge = next(e for e in data["edges"] if e["from"] == china and e["to"] == dy and e["relation"] == "controls")
    browser.eval(f"cmkgNetwork.emit('click', {{nodes: [], edges: [{edge['id']}]}}); true")
    text = browser.eval("document.getElementById('cmkg-details').textContent")
    assert "effective 4 April 2025" in text.replace("Effective4", "effective 4") or "since 4 April 2025" in text
    assert "export licensing" in text and "MOFCOM/GAC Announcement No. 18 of 2025" in text
    for raw in ("measure_iri", "in_force", "suspended_until", "target_iris", "https://w3id.org/cmkg/id/measure"):
        assert raw not in text, raw


def test_timeline_shows_the_april_2025_controls_with_their_evidence(browser, built, tmp_path):
    browser.open(built["full"], timeout=30)
    browser.eval("document.getElementById('cmkg-tab-timeline').click(); true")
    browser.wait_for("!document.getElementById('cmkg-timeline').hidden")
    assert browser.eval("document.getElementById('cmkg-network').hidden") is True
    rows = browser.eval("Array.from(document.querySelectorAll('#cmkg-timeline .t-row')).map(r => "
                        "[r.dataset.issuer, r.dataset.item, Array.from(r.querySelectorAll('.t-bar'))"
                        ".map(b => [b.dataset.start, b.dataset.status])])")
    april = {item for issuer, item, bars in rows if issuer == "China"
             for start, _ in bars if start == "2025-04-04"}
    assert {"dysprosium", "terbium", "samarium", "gadolinium", "lutetium", "scandium", "yttrium"} <= april
    statuses = {status for _, _, bars in rows for _, status in bars}
    assert {"in_force", "suspended", "possible"} <= statuses, statuses
    keep_screenshot(browser, tmp_path, "timeline.png")
    # a bar is a click away from its evidence
    browser.eval("Array.from(document.querySelectorAll('#cmkg-timeline .t-row')).find(r => r.dataset.item === "
                 "'dysprosium').querySelector('.t-bar[data-start=\"2025-04-04\"]')"
                 ".dispatchEvent(new MouseEvent('click', {bubbles: true})); true")
    text = browser.eval("document.getElementById('cmkg-details').textContent")
    assert "China \u2192 dysprosium" in text and "4 April 2025" in text
    links = browser.eval("Array.from(document.querySelectorAll('#cmkg-details a')).map(a => a.href)")
    assert links and all(link.startswith("http") for link in links)
    assert browser.errors() == []


def test_clicking_an_edge_shows_its_sentence(browser, built, tmp_path):
    browser.open(built["focus"], timeout=30)
    data = payload_of(built["focus"])
    with_sentence = [e for e in data["edges"] if any(s.get("sentence") for f in e["facts"] for s in f["sources"])]
    assert with_sentence
    # zoom to an edge, then click a point of it that no node or other edge covers, with the mouse, as a person
    # does once the layout has settled (on a busy machine the physics may still move the nodes)
    found = None
    for edge in with_sentence:
        found = browser.eval(f"""(() => {{
            cmkgNetwork.stopSimulation();
            cmkgNetwork.setOptions({{physics: {{enabled: false}}}});
            cmkgNetwork.fit({{nodes: [{edge['from']}, {edge['to']}], animation: false}});
            cmkgNetwork.redraw();
            const e = cmkgNetwork.body.edges[{edge['id']}];
            const r = document.getElementById('cmkg-network').getBoundingClientRect();
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {{
                const p = cmkgNetwork.canvasToDOM(e.edgeType.getPoint(t));
                if (cmkgNetwork.getNodeAt(p) === undefined && cmkgNetwork.getEdgeAt(p) === {edge['id']}) {{
                    return [r.left + p.x, r.top + p.y]; }}
            }}
            return null; }})()""")
        if found:
            break
    assert found, "no edge with a sentence can be clicked clear of the nodes"
    sentence = next(s["sentence"] for f in edge["facts"] for s in f["sources"] if s.get("sentence"))
    x, y = found
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        browser.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
    browser.wait_for("document.querySelector('#cmkg-details blockquote') !== null")
    assert sentence in browser.eval("document.getElementById('cmkg-details').textContent")
    assert browser.errors() == []


def test_focus_view_is_labelled_and_marks_uses_of_groups(browser, built, tmp_path):
    browser.open(built["focus"], timeout=30)
    data = payload_of(built["focus"])
    labels = browser.eval("cmkgLabels()")
    assert labels["drawn"] == len(data["nodes"]) and labels["cut"] == 0, labels
    keep_screenshot(browser, tmp_path, "focus-dysprosium.png")
    inherited = [n for n in data["nodes"] if n.get("inherited")]
    if inherited:  # uses of a group dysprosium belongs to: faded, and hidden on request
        browser.eval("document.getElementById('cmkg-groups').click(); true")
        hidden = browser.eval("cmkgNetwork.body.data.nodes.get({filter: n => n.hidden}).length")
        assert hidden == len(inherited)
    assert browser.errors() == []
