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
  var LABEL_MAX = 40;
  var LABEL_INSIDE = new Set(["box", "ellipse", "circle", "database", "text"]);
  var CHAIN_AGENT_RELATIONS = new Set(["controls", "tariff", "produces", "dominates"]);
  var GLYPHS = {dot: "\u25cf", hexagon: "\u2b22", square: "\u25a0", triangle: "\u25b2", triangleDown: "\u25bc",
                star: "\u2605", diamond: "\u25c6", box: "\u25ac", ellipse: "\u25c9"};

  function classStyle(type) { return style.classes[type] || style.other_class; }
  function relationStyle(rel) { return style.relations[rel] || style.other_relation; }
  function clip(text, max) { text = String(text); return text.length > max ? text.slice(0, max - 1) + "\u2026" : text; }

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
  var visNodes = new vis.DataSet(nodes.map(function (n) {
    var s = classStyle(n.type);
    var item = {
      id: n.id, label: clip(n.label, LABEL_MAX), shape: s.shape, size: n.size,
      borderWidth: n.focus ? 4 : 1, borderWidthSelected: n.focus ? 5 : 3,
      color: {background: s.color, border: n.focus ? "#000000" : "#444444",
              highlight: {background: s.color, border: "#000000"}, hover: {background: s.color, border: "#000000"}}
    };
    if (LABEL_INSIDE.has(s.shape)) { item.font = {color: s.label_color || "#111111", strokeWidth: 0}; }
    return item;
  }));
  var visEdges = new vis.DataSet(edges.map(function (e) {
    var s = relationStyle(e.relation);
    var label = s.legend;
    if (e.facts.length > 1) { label += " \u00d7" + e.facts.length; }
    else if (e.facts.length === 1 && typeof e.facts[0].attrs.status === "string") {
      label += " (" + e.facts[0].attrs.status.replace(/_/g, " ") + ")";
    }
    return {id: e.id, from: e.from, to: e.to, label: label, dashes: s.dashes,
            color: {color: s.color, highlight: s.color, hover: s.color, opacity: 0.85}};
  }));

  var options = {
    autoResize: true,
    layout: {improvedLayout: nodes.length <= 150, randomSeed: 7},
    physics: {
      enabled: true, solver: "barnesHut", minVelocity: 1,
      barnesHut: {gravitationalConstant: -5000, springLength: 130, springConstant: 0.03, damping: 0.35, avoidOverlap: 0.1,
                  theta: big ? 0.8 : 0.5},
      stabilization: {enabled: true, iterations: nodes.length <= 500 ? 400 : 200, updateInterval: big ? 2 : 10, fit: true}
    },
    nodes: {font: {size: 14, face: "system-ui, sans-serif", color: "#222222", strokeWidth: 3, strokeColor: "#ffffff"}},
    edges: {
      width: 1.2, selectionWidth: 2, hoverWidth: 0.6,
      arrows: {to: {enabled: true, scaleFactor: 0.5}},
      font: {size: 10, align: "middle", color: "#444444", strokeWidth: 3, strokeColor: "#ffffff"},
      smooth: big ? false : {enabled: true, type: "continuous", roundness: 0.3}
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
    var pairs = [["links", String(n.degree)]];
    if (n.alt && n.alt.length) { pairs.push(["also", n.alt.join(", ")]); }
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
      var pairs = attrPairs(f.attrs);
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

  /* ---- visibility: legend toggles and the chain view ---- */
  var hiddenTypes = new Set();
  var chainSet = null;
  function applyVisibility() {
    var visible = new Set();
    visNodes.update(nodes.map(function (n) {
      var show = !hiddenTypes.has(n.type) && (chainSet === null || chainSet.has(n.id));
      if (show) { visible.add(n.id); }
      return {id: n.id, hidden: !show};
    }));
    visEdges.update(edges.map(function (e) { return {id: e.id, hidden: !(visible.has(e.from) && visible.has(e.to))}; }));
    return visible;
  }

  /* The dependency chain around a node: what depends on it (dependsOn backwards; memberOf forwards, so
     dependents of its groups count), what it depends on (dependsOn forwards; memberOf backwards, so a
     required group brings its members), and the agents acting on any of these (controls, tariffs,
     production, dominance). Same rule as graph.render.focus_nodes, without the depth limit. */
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
  function chainOf(root) {
    var down = walk(root, function (id) {
      return inEdges.get(id).filter(function (e) { return isDependency(e); }).map(function (e) { return e.from; })
        .concat(outEdges.get(id).filter(function (e) { return e.relation === "memberOf"; }).map(function (e) { return e.to; }));
    });
    var up = walk(root, function (id) {
      return outEdges.get(id).filter(function (e) { return isDependency(e); }).map(function (e) { return e.to; })
        .concat(inEdges.get(id).filter(function (e) { return e.relation === "memberOf"; }).map(function (e) { return e.from; }));
    });
    var keep = new Set(down);
    up.forEach(function (id) { keep.add(id); });
    Array.from(keep).forEach(function (id) {
      inEdges.get(id).forEach(function (e) { if (CHAIN_AGENT_RELATIONS.has(e.relation)) { keep.add(e.from); } });
    });
    return keep;
  }
  function showChain(id) {
    if (!nodeById.has(id)) { return 0; }
    chainSet = chainOf(id);
    var visible = applyVisibility();
    network.selectNodes([id]);
    network.fit({nodes: Array.from(visible), animation: false});
    status("Chain of " + nodeName(id) + ": " + visible.size + " nodes");
    return visible.size;
  }
  function showAll() { chainSet = null; hiddenTypes.clear(); applyVisibility(); syncLegend(); network.fit({animation: false}); status(""); }
  chainButton.addEventListener("click", function () { var sel = network.getSelectedNodes(); if (sel.length) { showChain(sel[0]); } });
  document.getElementById("cmkg-reset").addEventListener("click", showAll);

  /* ---- legend ---- */
  var legendButtons = [];
  function syncLegend() { legendButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(!hiddenTypes.has(b.dataset.type))); }); }
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
      li.appendChild(make("span", String(counts.get(type)), "count"));
      ul.appendChild(li);
    });
    if (known.length || other.length) { legend.appendChild(make("h3", "Nodes (click to hide)")); legend.appendChild(ul); }
    syncLegend();
    var relCounts = new Map();
    edges.forEach(function (e) { relCounts.set(e.relation, (relCounts.get(e.relation) || 0) + 1); });
    var rels = Object.keys(style.relations).filter(function (r) { return relCounts.has(r); })
      .concat(Array.from(relCounts.keys()).filter(function (r) { return !style.relations[r]; }).sort());
    var rl = make("ul", null, "legend-list");
    rels.forEach(function (rel) {
      var s = relationStyle(rel);
      var li = make("li");
      var glyph = make("span", s.dashes ? "\u2504\u25b6" : "\u2500\u25b6", "glyph");
      glyph.style.color = s.color;
      li.appendChild(glyph);
      li.appendChild(make("span", style.relations[rel] ? s.legend : rel));
      li.appendChild(make("span", String(relCounts.get(rel)), "count"));
      rl.appendChild(li);
    });
    if (rels.length) { legend.appendChild(make("h3", "Edges")); legend.appendChild(rl); }
    legend.appendChild(make("p", "Size: number of links.", "hint"));
  })();

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
    if (hiddenTypes.has(n.type) || (chainSet !== null && !chainSet.has(id))) { chainSet = null; hiddenTypes.clear(); applyVisibility(); syncLegend(); }
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
  if (nodes.length) { status("Laying out\u2026"); network.setData({nodes: visNodes, edges: visEdges}); } else { settled(); }
})();
