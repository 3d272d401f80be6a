/* Interactive view of a cmkg graph (written by graph/render.py).
 *
 * Safety: every string from the graph arrives through the JSON block and reaches the page only as
 * DOM text (textContent, option.value) or as canvas text drawn by vis-network; nothing is parsed as
 * HTML, and links are made only for http(s) URLs. vis-network's own tooltips are not used because
 * it renders a string `title` as HTML.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cmkg-data").textContent);
  var style = data.style;
  var nodes = data.nodes;
  var edges = data.edges;
  var nodeById = new Map();
  var edgeById = new Map();
  var outEdges = new Map();
  var inEdges = new Map();
  nodes.forEach(function (n) { nodeById.set(n.id, n); outEdges.set(n.id, []); inEdges.set(n.id, []); });
  edges.forEach(function (e) { edgeById.set(e.id, e); outEdges.get(e.from).push(e); inEdges.get(e.to).push(e); });

  var big = nodes.length > 1500 || edges.length > 3000;
  var layered = data.layout === "layered";
  var WRAP = 22;
  var LABEL_INSIDE = new Set(["box", "ellipse", "circle", "database", "text"]);
  var CHAIN_AGENT_RELATIONS = new Set(["controls", "tariff", "produces", "dominates"]);
  var SUPPLY_RELATIONS = new Set(["dependsOn", "dependsOnVia"]);
  var GLYPHS = {dot: "\u25cf", hexagon: "\u2b22", square: "\u25a0", triangle: "\u25b2", triangleDown: "\u25bc",
                star: "\u2605", diamond: "\u25c6", box: "\u25ac", ellipse: "\u25c9"};

  function classStyle(type) { return style.classes[type] || style.other_class; }
  function relationStyle(rel) { return style.relations[rel] || style.other_relation; }
  function clip(text, max) { text = String(text); return text.length > max ? text.slice(0, max - 1) + "\u2026" : text; }
  /* Long labels wrap onto more lines at spaces: a label is never cut. */
  function wrap(text, width) {
    var words = String(text).split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; } else { line = line ? line + " " + w : w; }
    });
    if (line) { lines.push(line); }
    return lines.join("\n");
  }

  function make(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (className) { el.className = className; }
    return el;
  }

  function safeHref(url) {
    if (typeof url !== "string") { return null; }
    var parsed;
    try { parsed = new URL(url); } catch (err) { return null; }
    return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
  }

  function status(text) { document.getElementById("cmkg-status").textContent = text; }

  /* ---- drawing ---- */
  var showGroupUses = true;
  var chainInherited = null;  // in the chain view: nodes reached only through a group of the chosen node
  function isInherited(n) { return chainInherited !== null ? chainInherited.has(n.id) : Boolean(n.inherited); }
  function nodeItem(n) {
    var s = classStyle(n.type);
    var faded = isInherited(n);
    var item = {
      id: n.id, label: wrap(n.label, WRAP), shape: s.shape, size: layered ? Math.min(n.size, 22) : n.size,
      borderWidth: n.focus ? 4 : 1, borderWidthSelected: n.focus ? 5 : 3, opacity: faded ? 0.35 : 1,
      font: {size: n.font || 14},
      color: {background: s.color, border: n.focus ? "#000000" : "#444444",
              highlight: {background: s.color, border: "#000000"}, hover: {background: s.color, border: "#000000"}}
    };
    if (LABEL_INSIDE.has(s.shape)) { item.font.color = s.label_color || "#111111"; item.font.strokeWidth = 0; }
    if (faded) { item.font.color = "#777777"; }
    if (typeof n.x === "number") { item.x = n.x; item.y = n.y; }
    return item;
  }
  function edgeItem(e) {
    var s = relationStyle(e.relation);
    var label = s.legend;
    if (e.facts.length > 1) { label += " \u00d7" + e.facts.length; }
    else if (e.facts.length === 1 && typeof e.facts[0].status === "string") { label += " (" + e.facts[0].status + ")"; }
    var faded = e.inherited || e.group_level || (chainInherited !== null && chainInherited.has(e.from));
    // A dependency is drawn the way supply flows: from what is needed to what needs it.
    var supply = SUPPLY_RELATIONS.has(e.relation);
    // stronger evidence, thicker line (graph.analysis.evidence: source kind, independent sources, confidence)
    var width = typeof e.strength === "number" ? 0.4 + 1.6 * e.strength : 1.2;
    return {id: e.id, from: e.from, to: e.to, label: label, dashes: s.dashes || Boolean(faded), width: width,
            arrows: supply ? {from: {enabled: true, scaleFactor: 0.5}, to: {enabled: false}} : {to: {enabled: true, scaleFactor: 0.5}},
            color: {color: faded ? "#aaaaaa" : s.color, highlight: s.color, hover: s.color, opacity: faded ? 0.5 : 0.85}};
  }
  var visNodes = new vis.DataSet(nodes.map(nodeItem));
  var visEdges = new vis.DataSet(edges.map(edgeItem));

  var options = {
    autoResize: true,
    layout: {improvedLayout: !layered && nodes.length <= 150, randomSeed: 7},
    physics: layered ? {enabled: false} : {
      enabled: true, solver: "barnesHut", minVelocity: 1,
      barnesHut: {gravitationalConstant: -5000, springLength: 130, springConstant: 0.03, damping: 0.35, avoidOverlap: 0.1,
                  theta: big ? 0.8 : 0.5},
      stabilization: {enabled: true, iterations: nodes.length <= 500 ? 400 : 200, updateInterval: big ? 2 : 10, fit: true}
    },
    nodes: {font: {size: 14, face: "system-ui, sans-serif", color: "#222222", strokeWidth: 3, strokeColor: "#ffffff"},
            scaling: {label: {drawThreshold: 6, maxVisible: 40}}},
    edges: {
      width: 1.2, selectionWidth: 2, hoverWidth: 0.6,
      arrows: {to: {enabled: true, scaleFactor: 0.5}},
      font: {size: layered ? 8 : 10, align: "middle", color: "#444444", strokeWidth: 3, strokeColor: "#ffffff"},
      smooth: big ? false : layered ? {enabled: true, type: "cubicBezier", forceDirection: "horizontal", roundness: 0.4}
                                     : {enabled: true, type: "continuous", roundness: 0.3}
    },
    interaction: {hover: true, multiselect: false, navigationButtons: false, keyboard: false,
                  hideEdgesOnDrag: big, hideEdgesOnZoom: big, tooltipDelay: 200}
  };

  var container = document.getElementById("cmkg-network");
  var network = new vis.Network(container, {}, options);
  window.cmkgNetwork = network;
  window.cmkgReady = false;

  function settled() {
    if (window.cmkgReady) { return; }
    network.setOptions({physics: {enabled: false}});
    window.cmkgReady = true;
    status("");
    var focus = nodes.filter(function (n) { return n.focus; });
    if (focus.length) { network.selectNodes([focus[0].id]); showNode(focus[0].id); chainButton.disabled = false; }
  }
  // The layout gets a time budget: a big graph on a slow machine stops early rather than freezing the page.
  var LAYOUT_BUDGET_MS = 6000;
  var layoutStarted = 0;
  network.on("stabilizationProgress", function (p) {
    status("Laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%");
    if (Date.now() - layoutStarted > LAYOUT_BUDGET_MS) { network.stopSimulation(); }
  });
  network.once("stabilizationIterationsDone", settled);
  if (layered) { network.once("afterDrawing", function () { network.fit({animation: false}); network.once("afterDrawing", settled); network.redraw(); }); }
  // Physics must stop even if a huge graph never reports the end of stabilization.
  window.setTimeout(settled, 20000);

  /* ---- details and tooltips (DOM text only) ---- */
  function nodeName(id) { var n = nodeById.get(id); return n ? n.label : String(id); }

  function kv(pairs) {
    var dl = make("dl", null, "kv");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") { return; }
      dl.appendChild(make("dt", p[0]));
      dl.appendChild(make("dd", p[1]));
    });
    return dl;
  }

  function attrPairs(attrs) {
    return Object.keys(attrs).sort().map(function (k) {
      var v = attrs[k];
      return [k, Array.isArray(v) ? v.join(", ") : String(v)];
    });
  }

  function sourceBlock(src, full) {
    var frag = document.createDocumentFragment();
    if (src.sentence) { frag.appendChild(make("blockquote", full ? src.sentence : clip(src.sentence, 300))); }
    var line = make("p", null, "source");
    var href = safeHref(src.url);
    var text = src.title || src.citation || src.url || src.url_text || src.article;
    if (href && full) {
      var a = make("a", text || href);
      a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
      line.appendChild(make("span", "Source: "));
      line.appendChild(a);
    } else if (text) {
      line.appendChild(make("span", "Source: " + text));
    }
    if (full && src.citation && src.citation !== text) { line.appendChild(make("span", " \u2014 " + src.citation)); }
    if (full && src.article && src.article !== text) { line.appendChild(make("span", " (" + src.article + ")")); }
    if (line.childNodes.length) { frag.appendChild(line); }
    return frag;
  }

  function nodeContent(id, full) {
    var n = nodeById.get(id);
    var box = document.createDocumentFragment();
    box.appendChild(make(full ? "h3" : "div", n.label, "t-title"));
    box.appendChild(make("div", classStyle(n.type).legend === "Other" ? (n.type || "Other") : classStyle(n.type).legend, "t-type"));
    var pairs = [["Links", String(n.degree)]];
    if (isInherited(n)) { pairs.push(["Note", "depends on a group (" + (n.inherited || "a mineral group") + ") the chosen node belongs to, not on the node itself"]); }
    if (n.alt && n.alt.length) { pairs.push(["Also called", n.alt.join(", ")]); }
    if (full) { pairs.push(["IRI", n.iri]); }
    box.appendChild(kv(pairs));
    if (!full) { box.appendChild(make("div", "Click for details.", "hint")); return box; }
    [["Out", outEdges.get(id), "to"], ["In", inEdges.get(id), "from"]].forEach(function (group) {
      if (!group[1].length) { return; }
      box.appendChild(make("h4", group[0] + " (" + group[1].length + ")"));
      var ul = make("ul", null, "neighbours");
      group[1].slice(0, 40).forEach(function (e) {
        var other = e[group[2]];
        var li = make("li");
        var b = make("button", nodeName(other));
        b.type = "button";
        b.title = "Go to this node";
        b.addEventListener("click", function () { focusNode(other); });
        var rel = relationStyle(e.relation).legend;
        if (group[2] === "to") { li.appendChild(make("span", rel + " \u2192 ")); li.appendChild(b); }
        else { li.appendChild(b); li.appendChild(make("span", " \u2014 " + rel + " \u2192 this")); }
        ul.appendChild(li);
      });
      if (group[1].length > 40) { ul.appendChild(make("li", "\u2026 and " + (group[1].length - 40) + " more")); }
      box.appendChild(ul);
    });
    return box;
  }

  function edgeContent(id, full) {
    var e = edgeById.get(id);
    var box = document.createDocumentFragment();
    box.appendChild(make(full ? "h3" : "div", nodeName(e.from) + " \u2192 " + relationStyle(e.relation).legend + " \u2192 " + nodeName(e.to), "t-title"));
    var facts = full ? e.facts : e.facts.slice(0, 2);
    facts.forEach(function (f) {
      var div = make("div", null, "fact");
      var pairs = f.words || attrPairs(f.attrs);
      if (pairs.length) { div.appendChild(kv(pairs)); }
      (full ? f.sources : f.sources.slice(0, 1)).forEach(function (s) { div.appendChild(sourceBlock(s, full)); });
      if (!f.sources.length && full) { div.appendChild(make("p", "No source recorded.", "hint")); }
      box.appendChild(div);
    });
    if (!full) { box.appendChild(make("div", e.facts.length > 2 ? "Click for all " + e.facts.length + " facts and links." : "Click for details and links.", "hint")); }
    return box;
  }

  var details = document.getElementById("cmkg-details");
  function showDetails(content) {
    details.replaceChildren(make("h2", "Details"), content);
  }
  function showNode(id) { if (nodeById.has(id)) { showDetails(nodeContent(id, true)); } }
  function showEdge(id) { if (edgeById.has(id)) { showDetails(edgeContent(id, true)); } }

  var tip = document.getElementById("cmkg-tooltip");
  var mouse = {x: 0, y: 0};
  container.addEventListener("mousemove", function (ev) { mouse.x = ev.clientX; mouse.y = ev.clientY; });
  function showTip(content) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var x = mouse.x + 14, y = mouse.y + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth) { x = Math.max(0, mouse.x - w - 14); }
    if (y + h > window.innerHeight) { y = Math.max(0, mouse.y - h - 14); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) { showTip(nodeContent(p.node, false)); });
  network.on("hoverEdge", function (p) { showTip(edgeContent(p.edge, false)); });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (name) { network.on(name, hideTip); });

  var chainButton = document.getElementById("cmkg-chain");
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { showNode(p.nodes[0]); } else if (p.edges.length) { showEdge(p.edges[0]); }
    chainButton.disabled = !p.nodes.length;
  });

  /* ---- visibility: legend toggles, group uses and the chain view ---- */
  var hiddenTypes = new Set();
  var chainSet = null;
  var groupsBox = document.getElementById("cmkg-groups");
  var groupsLabel = document.getElementById("cmkg-groups-label");
  function applyVisibility() {
    var visible = new Set();
    visNodes.update(nodes.map(function (n) {
      var show = !hiddenTypes.has(n.type) && (chainSet === null || chainSet.has(n.id)) && (showGroupUses || !isInherited(n));
      if (show) { visible.add(n.id); }
      var item = nodeItem(n);
      return {id: n.id, hidden: !show, opacity: item.opacity, font: item.font};
    }));
    visEdges.update(edges.map(function (e) {
      var item = edgeItem(e);
      var show = visible.has(e.from) && visible.has(e.to) && (showGroupUses || !e.group_level);
      return {id: e.id, hidden: !show, dashes: item.dashes, color: item.color};
    }));
    syncCounts(visible);
    var anyInherited = nodes.some(function (n) { return isInherited(n); }) || edges.some(function (e) { return e.group_level; });
    groupsLabel.hidden = !anyInherited;
    return visible;
  }
  groupsBox.addEventListener("change", function () { showGroupUses = groupsBox.checked; applyVisibility(); });

  /* The dependency chain around a node: what depends on it (dependsOn backwards; memberOf forwards, so
     dependents of its groups count), what it depends on (dependsOn forwards; memberOf backwards, so a
     required group brings its members), and the agents acting on any of these (controls, tariffs,
     production, dominance). Same rule as graph.render.focus_nodes, without the depth limit. What is
     reached only through one of the node's groups is a use of the group, not of the node: it is drawn
     faded and can be hidden (graph.render.group_inherited). */
  function walk(root, follow) {
    var seen = new Set([root]);
    var stack = [root];
    while (stack.length) {
      var id = stack.pop();
      follow(id).forEach(function (next) { if (!seen.has(next)) { seen.add(next); stack.push(next); } });
    }
    return seen;
  }
  function isDependency(e) { return e.relation === "dependsOn" || e.relation === "dependsOnVia"; }
  function dependents(id) { return inEdges.get(id).filter(isDependency).map(function (e) { return e.from; }); }
  function chainOf(root) {
    var direct = walk(root, dependents);
    var down = walk(root, function (id) {
      return dependents(id).concat(outEdges.get(id).filter(function (e) { return e.relation === "memberOf"; }).map(function (e) { return e.to; }));
    });
    var up = walk(root, function (id) {
      return outEdges.get(id).filter(function (e) { return isDependency(e); }).map(function (e) { return e.to; })
        .concat(inEdges.get(id).filter(function (e) { return e.relation === "memberOf"; }).map(function (e) { return e.from; }));
    });
    var groups = walk(root, function (id) { return outEdges.get(id).filter(function (e) { return e.relation === "memberOf"; }).map(function (e) { return e.to; }); });
    var inherited = new Set();
    down.forEach(function (id) { if (!direct.has(id) && !up.has(id) && !groups.has(id)) { inherited.add(id); } });
    var keep = new Set(down);
    up.forEach(function (id) { keep.add(id); });
    Array.from(keep).forEach(function (id) {
      inEdges.get(id).forEach(function (e) { if (CHAIN_AGENT_RELATIONS.has(e.relation)) { keep.add(e.from); } });
    });
    return {keep: keep, inherited: inherited};
  }
  function showChain(id) {
    if (!nodeById.has(id)) { return 0; }
    var chain = chainOf(id);
    chainSet = chain.keep;
    chainInherited = chain.inherited;
    var visible = applyVisibility();
    network.selectNodes([id]);
    network.fit({nodes: Array.from(visible), animation: false});
    status("Chain of " + nodeName(id) + ": " + visible.size + " nodes");
    return visible.size;
  }
  function showAll() { chainSet = null; chainInherited = null; hiddenTypes.clear(); applyVisibility(); syncLegend(); network.fit({animation: false}); status(""); }
  chainButton.addEventListener("click", function () { var sel = network.getSelectedNodes(); if (sel.length) { showChain(sel[0]); } });
  document.getElementById("cmkg-reset").addEventListener("click", showAll);

  /* ---- legend: counts follow what is shown ---- */
  var legendButtons = [];
  var typeCounts = new Map();
  var relCounts = new Map();
  function syncLegend() { legendButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(!hiddenTypes.has(b.dataset.type))); }); }
  function syncCounts(visible) {
    var byType = new Map(), byRel = new Map();
    nodes.forEach(function (n) { if (visible.has(n.id)) { byType.set(n.type, (byType.get(n.type) || 0) + 1); } });
    edges.forEach(function (e) {
      if (visible.has(e.from) && visible.has(e.to) && (showGroupUses || !e.group_level)) { byRel.set(e.relation, (byRel.get(e.relation) || 0) + 1); }
    });
    typeCounts.forEach(function (el, type) { el.textContent = String(byType.get(type) || 0); });
    relCounts.forEach(function (el, rel) { el.textContent = String(byRel.get(rel) || 0); });
  }
  (function buildLegend() {
    var legend = document.getElementById("cmkg-legend");
    var counts = new Map();
    nodes.forEach(function (n) { counts.set(n.type, (counts.get(n.type) || 0) + 1); });
    var known = Object.keys(style.classes).filter(function (t) { return counts.has(t); });
    var other = Array.from(counts.keys()).filter(function (t) { return !style.classes[t]; }).sort();
    var ul = make("ul", null, "legend-list");
    known.concat(other).forEach(function (type) {
      var s = classStyle(type);
      var li = make("li");
      var b = make("button");
      b.type = "button";
      b.dataset.type = type;
      b.title = "Show or hide this class";
      var glyph = make("span", GLYPHS[s.shape] || GLYPHS.dot, "glyph");
      glyph.style.color = s.color;
      b.appendChild(glyph);
      b.appendChild(make("span", style.classes[type] ? s.legend : (type || "Other")));
      b.addEventListener("click", function () {
        if (hiddenTypes.has(type)) { hiddenTypes.delete(type); } else { hiddenTypes.add(type); }
        applyVisibility(); syncLegend();
      });
      legendButtons.push(b);
      li.appendChild(b);
      var count = make("span", String(counts.get(type)), "count");
      typeCounts.set(type, count);
      li.appendChild(count);
      ul.appendChild(li);
    });
    if (known.length || other.length) { legend.appendChild(make("h3", "Nodes shown (click to hide)")); legend.appendChild(ul); }
    syncLegend();
    var rc = new Map();
    edges.forEach(function (e) { rc.set(e.relation, (rc.get(e.relation) || 0) + 1); });
    var rels = Object.keys(style.relations).filter(function (r) { return rc.has(r); })
      .concat(Array.from(rc.keys()).filter(function (r) { return !style.relations[r]; }).sort());
    var rl = make("ul", null, "legend-list");
    rels.forEach(function (rel) {
      var s = relationStyle(rel);
      var li = make("li");
      var glyph = make("span", s.dashes ? "\u2504\u25b6" : "\u2500\u25b6", "glyph");
      glyph.style.color = s.color;
      li.appendChild(glyph);
      li.appendChild(make("span", style.relations[rel] ? s.legend : rel));
      var count = make("span", String(rc.get(rel)), "count");
      relCounts.set(rel, count);
      li.appendChild(count);
      rl.appendChild(li);
    });
    if (rels.length) { legend.appendChild(make("h3", "Edges shown")); legend.appendChild(rl); }
    legend.appendChild(make("p", "Dependencies point the way supply flows: from a mineral to what needs it; the stronger the evidence, the thicker the line. Size: number of links." +
      (edges.some(function (e) { return e.group_level; }) ? " Dashed grey: a use stated for a mineral group as a whole." : "") +
      (nodes.some(function (n) { return n.inherited; }) ? " Faded: depends only on a group the focus belongs to." : ""), "hint"));
  })();

  /* ---- timeline of measures (SVG, text only through textContent) ---- */
  var timeline = data.timeline || {measures: [], rows: []};
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    return el;
  }
  function dayNumber(iso) { var d = new Date(iso + "T00:00:00Z"); return d.getTime() / 86400000; }
  var STATUS_COLORS = {in_force: "#cc0000", suspended: "#9e9e9e", lifted: "#444444", expired: "#444444",
                       possible: "#e69f00", not_yet_in_force: "#0072b2", unknown: "#b0b0b0"};
  var STATUS_NAMES = {in_force: "in force", suspended: "suspended", lifted: "lifted", expired: "expired",
                      possible: "possible", not_yet_in_force: "not yet in force", unknown: "status unknown"};
  function showMeasure(id) {
    var m = timeline.measures[id];
    if (!m) { return; }
    var box = document.createDocumentFragment();
    box.appendChild(make("h3", m.issuer + " \u2192 " + m.items.join(", "), "t-title"));
    box.appendChild(make("div", m.title, "t-type"));
    box.appendChild(kv(m.words));
    var div = make("div", null, "fact");
    m.sources.forEach(function (s) { div.appendChild(sourceBlock(s, true)); });
    if (!m.sources.length) { div.appendChild(make("p", "No source recorded.", "hint")); }
    box.appendChild(div);
    showDetails(box);
  }
  var timelineDrawn = false;
  function drawTimeline() {
    var panel = document.getElementById("cmkg-timeline");
    panel.replaceChildren();
    timelineDrawn = true;
    var measures = timeline.measures, rows = timeline.rows;
    panel.appendChild(make("h2", "Export controls and tariffs over time"));
    if (!rows.length) { panel.appendChild(make("p", "No export control or tariff is in this view.", "hint")); return; }
    var key = make("div", null, "t-key");
    key.appendChild(make("span", "Status as of " + timeline.day_text + " (the newest date in the data unless --as-of says otherwise):"));
    ["in_force", "suspended", "lifted", "possible"].forEach(function (st) {
      var item = make("span", (st === "possible" ? "\u25c7 " : "\u25ac ") + STATUS_NAMES[st]);
      item.style.color = STATUS_COLORS[st];
      key.appendChild(item);
    });
    key.appendChild(make("span", "Click a bar for the measure and its sources."));
    panel.appendChild(key);
    var dated = measures.filter(function (m) { return m.start; });
    var lo = Math.min.apply(null, dated.map(function (m) { return dayNumber(m.start); }).concat([dayNumber(timeline.day) - 365]));
    var hiDays = [dayNumber(timeline.day)];
    measures.forEach(function (m) { [m.until, m.lifted].forEach(function (d) { if (d) { hiDays.push(dayNumber(d)); } }); });
    var y0 = new Date(lo * 86400000).getUTCFullYear(), y1 = new Date(Math.max.apply(null, hiDays) * 86400000).getUTCFullYear() + 1;
    var start = dayNumber(y0 + "-01-01"), end = dayNumber(y1 + "-01-01");
    var longest = Math.max.apply(null, rows.map(function (r) { return (r.issuer + " \u2192 " + r.item).length; }));
    var LABEL_W = Math.min(330, 24 + 6.6 * longest), width = Math.max(640, panel.clientWidth - 32), plotW = width - LABEL_W - 16;
    var LABEL_CHARS = Math.floor((LABEL_W - 12) / 6.6);
    /* Most measures are recent: when the data goes back more than RECENT years before the status day,
       the years before are squeezed into the first EARLY share of the axis (a break marks it). */
    var RECENT = 4, EARLY = 0.16;
    var cutYear = new Date(dayNumber(timeline.day) * 86400000).getUTCFullYear() - RECENT + 1;
    var cut = cutYear > y0 + 1 ? dayNumber(cutYear + "-01-01") : null;
    function x(iso) {
      var d = dayNumber(iso);
      if (cut === null) { return LABEL_W + (d - start) / (end - start) * plotW; }
      if (d < cut) { return LABEL_W + (d - start) / (cut - start) * plotW * EARLY; }
      return LABEL_W + plotW * EARLY + (d - cut) / (end - cut) * plotW * (1 - EARLY);
    }
    var LANE = 9, PAD = 8, HEAD = 34;
    var height = HEAD, layout = [];
    rows.forEach(function (r) {
      var two = (r.issuer + " \u2192 " + r.item).length > LABEL_CHARS;
      var h = Math.max(two ? 32 : 0, PAD * 2 + LANE * r.measures.length);
      layout.push({row: r, top: height, h: h}); height += h;
    });
    var root = svg("svg", {width: width, height: height + 4, role: "img", "aria-label": "timeline of measures"});
    for (var y = y0; y <= y1; y++) {
      var early = cut !== null && y < cutYear;
      if (early && y !== y0) { continue; }  // squeezed years: only the first is named
      var gx = x(y + "-01-01");
      root.appendChild(svg("line", {x1: gx, x2: gx, y1: HEAD - 6, y2: height, stroke: "#e4e4e4"}));
      if (y < y1) { root.appendChild(svg("text", {x: gx + 3, y: HEAD - 6, fill: "#666"}, y)); }
    }
    if (cut !== null) {  // the break between squeezed and recent years
      var bx = x(cutYear + "-01-01") - 6;
      root.appendChild(svg("text", {x: bx - 4, y: HEAD - 6, fill: "#999"}, "\u2248"));
    }
    var dx = x(timeline.day);
    root.appendChild(svg("line", {x1: dx, x2: dx, y1: 2, y2: height, stroke: "#0072b2", "stroke-dasharray": "4 3"}));
    root.appendChild(svg("text", {x: dx - 3, y: 11, fill: "#0072b2", "font-size": 10, "text-anchor": "end"}, "status as of " + timeline.day_text));
    var lastIssuer = null;
    layout.forEach(function (L) {
      var r = L.row;
      var g = svg("g", {"class": "t-row", "data-item": r.item, "data-issuer": r.issuer});
      g.appendChild(svg("rect", {"class": "t-band", x: 0, y: L.top, width: width, height: L.h, fill: "#ffffff"}));
      g.appendChild(svg("line", {x1: 0, x2: width, y1: L.top, y2: L.top, stroke: r.issuer !== lastIssuer ? "#999" : "#eee"}));
      var text = (r.issuer !== lastIssuer ? r.issuer + " \u2192 " : "\u2003\u2192 ") + r.item;
      // a long name takes two lines: never cut
      var lines = text.length > LABEL_CHARS ? wrap(text, LABEL_CHARS).split("\n").slice(0, 2) : [text];
      if (lines.length === 2 && text.length > lines.join(" ").length) { lines = [text.slice(0, LABEL_CHARS), text.slice(LABEL_CHARS)]; }
      var label = svg("text", {x: 4, y: L.top + L.h / 2 + 4 - (lines.length - 1) * 7, fill: "#222", "class": "t-label"});
      lines.forEach(function (line, i) { label.appendChild(svg("tspan", {x: i ? 16 : 4, dy: i ? 14 : 0}, line)); });
      label.appendChild(svg("title", {}, r.issuer + " \u2192 " + r.item));
      g.appendChild(label);
      lastIssuer = r.issuer;
      r.measures.forEach(function (id, lane) {
        var m = measures[id];
        var cy = L.top + PAD + lane * LANE + LANE / 2;
        var bar = svg("g", {"class": "t-bar", "data-measure": id, "data-start": m.start || "", "data-status": m.status});
        bar.appendChild(svg("title", {}, m.title + ": " + m.status_text + (m.start ? "" : " (no date reported)")));
        var color = m.kind === "tariff" ? "#ff7f0e" : STATUS_COLORS.in_force;
        if (m.status === "possible" || !m.start) {
          var px = m.start ? x(m.start) : dx;
          bar.appendChild(svg("path", {d: "M" + (px - 5) + " " + cy + " L" + px + " " + (cy - 5) + " L" + (px + 5) + " " + cy + " L" + px + " " + (cy + 5) + " Z",
                                      fill: "#ffffff", stroke: STATUS_COLORS[m.status === "possible" ? "possible" : "unknown"], "stroke-width": 2}));
        } else {
          var s0 = x(m.start), stop = m.lifted ? x(m.lifted) : x(y1 + "-01-01") - 1;
          var suspendedFrom = m.suspended ? x(m.suspended) : null;
          var suspendedTo = m.suspended ? (m.until ? x(m.until) : stop) : null;
          var firstEnd = suspendedFrom !== null ? Math.min(suspendedFrom, stop) : stop;
          bar.appendChild(svg("rect", {x: s0, y: cy - 3, width: Math.max(2, firstEnd - s0), height: 6, fill: color}));
          if (suspendedFrom !== null && suspendedFrom < stop) {
            bar.appendChild(svg("rect", {x: suspendedFrom, y: cy - 3, width: Math.max(2, Math.min(suspendedTo, stop) - suspendedFrom), height: 6,
                                         fill: STATUS_COLORS.suspended}));
            if (suspendedTo < stop) { bar.appendChild(svg("rect", {x: suspendedTo, y: cy - 3, width: Math.max(2, stop - suspendedTo), height: 6, fill: color, opacity: 0.6})); }
          }
          if (m.lifted) { bar.appendChild(svg("line", {x1: stop, x2: stop, y1: cy - 5, y2: cy + 5, stroke: STATUS_COLORS.lifted, "stroke-width": 2})); }
          // a wider invisible target makes thin bars easy to click
          bar.appendChild(svg("rect", {x: s0 - 3, y: cy - LANE / 2, width: Math.max(8, stop - s0 + 6), height: LANE, fill: "#000000", opacity: 0}));
        }
        bar.addEventListener("click", function () { showMeasure(id); });
        g.appendChild(bar);
      });
      root.appendChild(g);
    });
    panel.appendChild(root);
  }
  var tabGraph = document.getElementById("cmkg-tab-graph"), tabTimeline = document.getElementById("cmkg-tab-timeline");
  function showTab(which) {
    var graphOn = which === "graph";
    tabGraph.setAttribute("aria-selected", String(graphOn));
    tabTimeline.setAttribute("aria-selected", String(!graphOn));
    document.getElementById("cmkg-network").hidden = !graphOn;
    document.getElementById("cmkg-timeline").hidden = graphOn;
    if (!graphOn) { drawTimeline(); } else { network.redraw(); }
  }
  tabGraph.addEventListener("click", function () { showTab("graph"); });
  tabTimeline.addEventListener("click", function () { showTab("timeline"); });
  window.addEventListener("resize", function () { if (timelineDrawn && !document.getElementById("cmkg-timeline").hidden) { drawTimeline(); } });

  /* What a person sees, for tests: how many node labels are drawn large enough and inside the canvas,
     and how many of those are cut by its edges. */
  window.cmkgLabels = function () {
    var rect = container.getBoundingClientRect(), drawn = 0, cut = 0, names = [];
    visNodes.get({filter: function (x) { return !x.hidden; }}).forEach(function (x) {
      var body = network.body.nodes[x.id];
      if (!body || !body.labelModule.visible()) { return; }
      var size = body.labelModule.size;
      var a = network.canvasToDOM({x: size.left, y: size.top});
      var b = network.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
      if (b.x < 0 || b.y < 0 || a.x > rect.width || a.y > rect.height) { return; }
      drawn += 1;
      names.push(nodeName(x.id));
      if (a.x < 0 || a.y < 0 || b.x > rect.width || b.y > rect.height) { cut += 1; }
    });
    return {drawn: drawn, cut: cut, names: names};
  };
  window.cmkgShowTab = showTab;

  /* ---- search ---- */
  function norm(text) { return String(text).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  var searchIndex = nodes.map(function (n) { return {id: n.id, size: n.size, names: [n.label].concat(n.alt || []).map(norm)}; });
  function find(query) {
    var q = norm(query);
    if (!q) { return null; }
    var best = null, bestRank = 3, bestSize = -1;
    searchIndex.forEach(function (entry) {
      entry.names.forEach(function (name) {
        var rank = name === q ? 0 : name.indexOf(q) === 0 ? 1 : name.indexOf(q) > 0 ? 2 : 3;
        if (rank < bestRank || (rank === bestRank && rank < 3 && entry.size > bestSize)) {
          best = entry.id; bestRank = rank; bestSize = entry.size;
        }
      });
    });
    return best;
  }
  function focusNode(id) {
    if (!nodeById.has(id)) { return; }
    var n = nodeById.get(id);
    if (hiddenTypes.has(n.type) || (chainSet !== null && !chainSet.has(id)) || (!showGroupUses && isInherited(n))) {
      chainSet = null; chainInherited = null; hiddenTypes.clear(); showGroupUses = true; groupsBox.checked = true; applyVisibility(); syncLegend();
    }
    showTab("graph");
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: {duration: 300, easingFunction: "easeInOutQuad"}});
    showNode(id);
    chainButton.disabled = false;
  }
  var input = document.getElementById("cmkg-search-input");
  document.getElementById("cmkg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var id = find(input.value);
    if (id === null) { status("No node matches \u201c" + clip(input.value, 60) + "\u201d"); return; }
    focusNode(id);
    status("Found " + clip(nodeName(id), 60));
  });
  (function fillSuggestions() {
    var list = document.getElementById("cmkg-labels");
    var seen = new Set();
    nodes.slice().sort(function (a, b) { return b.size - a.size; }).forEach(function (n) {
      if (seen.size >= 5000 || seen.has(n.label)) { return; }
      seen.add(n.label);
      var opt = document.createElement("option");
      opt.value = n.label;
      list.appendChild(opt);
    });
  })();

  window.cmkgFind = function (query) { var id = find(query); if (id !== null) { focusNode(id); } return id; };
  window.cmkgShowChain = showChain;
  window.cmkgShowAll = showAll;

  // Data goes in last, so every handler above exists before vis-network reports anything.
  layoutStarted = Date.now();
  applyVisibility();
  if (nodes.length) { status("Laying out\u2026"); network.setData({nodes: visNodes, edges: visEdges}); } else { settled(); }
})();
