// The live levers (sim/views/live.py): sliders and the two main charts; while a slider moves, the KPI cards
// and the charts show the engine's results precomputed in Python for that step. No model here, no network:
// texts arrive written by the one formatter (sim/views/fmt.py), chart values as uint16 fractions of a fixed
// axis. Used by the Streamlit page (a v2 component) and by the offline meeting pack.
//
// nqLive(root, data, send, doc): draw into `root` (an element or a shadow root); `send(message)` is called
// on release ({pid, year, x}), or null offline; `doc` holds the KPI cards ([data-kpi]) to update.
function nqLive(root, data, send, doc) {
  "use strict";
  doc = doc || document;
  const SVG = "http://www.w3.org/2000/svg";
  const W = 460, H = 290, M = { l: 50, r: 44, t: 30, b: 24 };
  const T = data.frame.years.length, NS = data.nseries;
  const tops = [data.frame.digital.top, data.frame.rd.top, data.frame.rd.top, data.frame.rd.top, 100];

  function decode(b64) {
    const bin = atob(b64);
    const out = new Float64Array(bin.length / 2);
    for (let i = 0; i < out.length; i++) {
      const q = bin.charCodeAt(2 * i) | (bin.charCodeAt(2 * i + 1) << 8);
      out[i] = (q / 65535) * tops[Math.floor(i / T) % NS];
    }
    return out;
  }
  function decodeCells(b64) {  // uint16 positions in data.strings; a card's fifth cell is met plus one
    const bin = atob(b64);
    const out = new Uint16Array(bin.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = bin.charCodeAt(2 * i) | (bin.charCodeAt(2 * i + 1) << 8);
    return out;
  }
  const NC = 5 * data.kpis.length;
  function el(tag, attrs, parent, ns) {
    const e = ns ? document.createElementNS(SVG, tag) : document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // ---------------------------------------------------------------- KPI cards (drawn by sim/views/cards.py)
  function showCards(cells, S) {  // S: the texts the cells point to
    data.kpis.forEach((id, i) => {
      const card = doc.querySelector('[data-kpi="' + id + '"]');
      if (!card) return;
      const [num, unit, delta, dunit, met] = Array.from(cells.subarray(5 * i, 5 * i + 5), (c, j) => (j < 4 ? S[c] : c - 1));
      const value = card.querySelector(".nq-value");
      if (value) {
        value.textContent = unit === "%" ? num + " %" : num;
        if (unit !== "%") el("small", {}, value).textContent = unit;
      }
      const d = card.querySelector(".nq-delta");
      if (d) {
        if (delta === "0") {
          d.className = "nq-delta nq-flat";
          d.textContent = "= " + data.words.same;
        } else {
          const up = !delta.startsWith("\u2212");
          d.className = "nq-delta " + (data.neutral.includes(i) ? "nq-flat" : up ? "nq-up" : "nq-down");
          d.textContent = (up ? "▲" : "▼") + " " + delta + " " + dunit + " ";
          el("span", {}, d).textContent = data.words.vs;
        }
      }
      const badge = card.querySelector(".nq-badge.nq-met, .nq-badge.nq-unmet");
      if (badge && met >= 0) {
        badge.className = "nq-badge " + (met ? "nq-met" : "nq-unmet");
        badge.textContent = met ? data.words.met : data.words.unmet;
      }
    });
  }

  // ---------------------------------------------------------------- charts
  const F = data.frame, C = F.colors, years = F.years;
  const x = (t) => M.l + ((W - M.l - M.r) * t) / (T - 1);
  const yL = (v, top) => H - M.b - ((H - M.t - M.b) * Math.min(v, top)) / top;
  const line = (vals, top) => vals.map((v, t) => (t ? "L" : "M") + x(t).toFixed(1) + " " + yL(v, top).toFixed(1)).join("");

  function axes(svg, ticks, top, unit, right) {
    for (const [v, text] of ticks) {
      const y = yL(v, top);
      el("line", { x1: M.l, x2: W - M.r, y1: y, y2: y, stroke: C.grid }, svg, true);
      el("text", { x: M.l - 6, y: y + 4, "text-anchor": "end", class: "nq-tick" }, svg, true).textContent = text;
    }
    for (const [v, text] of right || []) {
      el("text", { x: W - M.r + 6, y: yL(v, 100) + 4, class: "nq-tick" }, svg, true).textContent = text;
    }
    years.forEach((yr, t) => {
      if (yr % 5 === 0 || (t === 0 && yr % 5 < 3))
        el("text", { x: x(t), y: H - 6, "text-anchor": "middle", class: "nq-tick" }, svg, true).textContent = yr;
    });
    el("text", { x: 4, y: 12, class: "nq-axis" }, svg, true).textContent = unit;
  }
  function legend(svg, items) {
    let at = M.l;
    for (const [text, color, dash] of items) {
      el("line", { x1: at, x2: at + 16, y1: 24, y2: 24, stroke: color, "stroke-width": 3, "stroke-dasharray": dash || "" }, svg, true);
      const t = el("text", { x: at + 20, y: 28, class: "nq-legend" }, svg, true);
      t.textContent = text;
      at += 28 + 6.2 * text.length;
    }
  }

  function buildCharts(box) {
    box.textContent = "";
    const parts = {};
    // digital-economy share
    const d = el("figure", { class: "nq-chart", "data-chart": "digital_share" }, box);
    el("figcaption", {}, d).textContent = F.digital.title;
    const s1 = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": F.digital.title }, d, true);
    axes(s1, F.digital.ticks, F.digital.top, F.digital.unit);
    legend(s1, [[F.legend.scenario, C.scenario], [F.legend.baseline, C.baseline, "5 3"]]);
    el("path", { d: line(F.digital.baseline, F.digital.top), fill: "none", stroke: C.baseline, "stroke-width": 2, "stroke-dasharray": "5 3" }, s1, true);
    parts.digital = el("path", { fill: "none", stroke: C.scenario, "stroke-width": 3 }, s1, true);
    for (const [yr, v, text] of F.digital.targets) {
      const t = years.indexOf(yr);
      if (t < 0) continue;
      const cx = x(t), cy = yL(v, F.digital.top);
      el("path", { d: `M${cx} ${cy - 7}L${cx + 7} ${cy}L${cx} ${cy + 7}L${cx - 7} ${cy}Z`, fill: C.target }, s1, true);
      el("text", { x: cx - 9, y: cy - 9, "text-anchor": "end", class: "nq-label", fill: C.target }, s1, true).textContent = text;
    }
    // R&D public and non-state, non-state share on the right axis
    const r = el("figure", { class: "nq-chart", "data-chart": "rd_spending" }, box);
    el("figcaption", {}, r).textContent = F.rd.title;
    const s2 = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": F.rd.title }, r, true);
    axes(s2, F.rd.ticks, F.rd.top, F.rd.unit, F.rd.share_ticks);
    legend(s2, [[F.legend.public, C.scenario], [F.legend.nonstate, C.nonstate], [F.legend.baseline, C.baseline, "5 3"]]);
    const bw = ((W - M.l - M.r) / (T - 1)) * 0.7;
    parts.pub = [], parts.non = [];
    for (let t = 0; t < T; t++) {
      parts.pub.push(el("rect", { x: x(t) - bw / 2, width: bw, fill: C.scenario }, s2, true));
      parts.non.push(el("rect", { x: x(t) - bw / 2, width: bw, fill: C.nonstate }, s2, true));
    }
    el("path", { d: line(F.rd.baseline, F.rd.top), fill: "none", stroke: C.baseline, "stroke-width": 2, "stroke-dasharray": "5 3" }, s2, true);
    parts.target = el("path", { fill: "none", stroke: C.target, "stroke-width": 2, "stroke-dasharray": "2 3" }, s2, true);
    parts.targetLabel = el("text", { x: W - M.r - 2, "text-anchor": "end", class: "nq-label", fill: C.target }, s2, true);
    parts.targetLabel.textContent = F.rd.target;
    const y60 = yL(60, 100);
    el("line", { x1: M.l, x2: W - M.r, y1: y60, y2: y60, stroke: C.nonstate, "stroke-dasharray": "6 4" }, s2, true);
    el("text", { x: M.l + 4, y: y60 - 4, class: "nq-label", fill: C.nonstate }, s2, true).textContent = F.rd.rule;
    parts.share = el("path", { fill: "none", stroke: C.nonstate, "stroke-width": 1.5, "stroke-dasharray": "2 2" }, s2, true);
    parts.dots = [];
    for (let t = 0; t < T; t++) parts.dots.push(el("circle", { cx: x(t), r: 3.2 }, s2, true));
    return parts;
  }

  function showCharts(parts, ser, step) {
    const at = (s) => Array.from(ser.subarray((step * NS + s) * T, (step * NS + s + 1) * T));
    const [dig, pub, non, tgt, share] = [0, 1, 2, 3, 4].map(at);
    parts.digital.setAttribute("d", line(dig, F.digital.top));
    for (let t = 0; t < T; t++) {
      const y0 = yL(pub[t], F.rd.top), y1 = yL(pub[t] + non[t], F.rd.top);
      parts.pub[t].setAttribute("y", y0);
      parts.pub[t].setAttribute("height", Math.max(0, H - M.b - y0));
      parts.non[t].setAttribute("y", y1);
      parts.non[t].setAttribute("height", Math.max(0, y0 - y1));
      parts.dots[t].setAttribute("cy", yL(share[t], 100));
      parts.dots[t].setAttribute("fill", share[t] < 60 - 1e-6 ? C.target : C.met);
    }
    parts.target.setAttribute("d", line(tgt, F.rd.top));
    parts.targetLabel.setAttribute("y", yL(tgt[T - 1], F.rd.top) - 6);
    parts.share.setAttribute("d", line(share, 100));
  }

  // ---------------------------------------------------------------- levers
  let box = root.querySelector(".nq-live");
  if (!box) {
    box = el("div", { class: "nq-live" });
    root.appendChild(box);
  }
  const state = {
    current: decode(data.current.series),
    currentCells: decodeCells(data.current.cells),
    sweeps: data.levers.map(() => null),
    cells: data.levers.map(() => null),
  };
  function show(i, step) {
    if (i < 0) {
      showCharts(live.parts, state.current, 0);
      showCards(state.currentCells, data.strings);
      return;
    }
    const l = data.levers[i];
    if (!state.sweeps[i]) state.sweeps[i] = decode(l.series);  // decoded on first use
    if (!state.cells[i]) state.cells[i] = decodeCells(l.cells);
    showCharts(live.parts, state.sweeps[i], step);
    showCards(state.cells[i].subarray(step * NC, (step + 1) * NC), l.strings);
  }
  const at = (l) => {  // the slider position of a lever's current value
    let idx = 0, best = Infinity;
    if (l.value !== null) l.grid.forEach((g, j) => { if (Math.abs(g - l.value) < best) { best = Math.abs(g - l.value); idx = j; } });
    return idx;
  };

  // A rerun with the same sliders and axes (a release confirmed, a lever of the sidebar moved) keeps the
  // drawn elements and the focus, and only takes the new numbers; anything else draws them anew.
  const shape = JSON.stringify([F, data.kpis, data.levers.map((l) => [l.pid, l.key, l.year, l.label, l.words, l.grid])]);
  let live = box.nqLive;
  if (!live || live.shape !== shape) {
    const focused = (root.activeElement || document.activeElement || {}).closest?.("[data-live]")?.dataset.live;
    box.textContent = "";
    delete box.dataset.moving;  // a slider drawn anew is not held
    const panel = el("div", { class: "nq-levers", role: "group" }, box);
    const charts = el("div", { class: "nq-charts" }, box);
    live = box.nqLive = { shape, parts: buildCharts(charts), rows: [], on: {} };
    data.levers.forEach((l, i) => {
      const row = el("div", { class: "nq-lever st-key-" + l.key, "data-live": l.pid }, panel);
      el("div", { class: "nq-lever-label" }, row).textContent = l.label;
      const value = el("div", { class: "nq-lever-value" }, row);
      const input = el("input", { type: "range", min: 0, max: l.grid.length - 1, step: 1, "aria-label": l.label }, row);
      // The handlers of the latest data (live.on is replaced on every rerun).
      input.addEventListener("input", () => live.on.input(i, Number(input.value)));
      input.addEventListener("change", () => live.on.change(i, Number(input.value)));
      live.rows.push({ value, input });
    });
    if (focused) box.querySelector('[data-live="' + focused + '"] input')?.focus();
  }
  live.on = {
    input(i, j) {
      live.rows[i].value.textContent = data.levers[i].words.replace("{value}", data.levers[i].texts[j]);
      box.dataset.moving = data.levers[i].pid;
      show(i, j);
    },
    change(i, j) {
      const l = data.levers[i];
      delete box.dataset.moving;
      if (send) send({ pid: l.pid, year: l.year, x: l.grid[j] });
    },
  };
  // A slider held while the numbers arrive stays where the pointer has it, and shows that step's numbers.
  const held = data.levers.findIndex((l) => l.pid === box.dataset.moving);
  data.levers.forEach((l, i) => {
    if (i === held) return;
    const { value, input } = live.rows[i];
    input.value = String(at(l));
    value.textContent = l.words.replace("{value}", l.value_text);
  });
  if (held >= 0) live.on.input(held, Number(live.rows[held].input.value));
  else show(-1, 0);
}
