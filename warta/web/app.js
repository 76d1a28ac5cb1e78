// Warta web UI: one page, plain JavaScript, no network beyond this server's /api/.
// Views are chosen by the URL hash (#/events?actor=RUS, #/article/DOC?event=2) so every view can be linked.
// Text from the store is always inserted as text nodes, never as HTML.
"use strict";

const PAGE = 50;
const VIEWS = { events, timeline, dyads, articles, article, entities, analyze };

// -- helpers ---------------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c))));
  return node;
}

function query(params) {
  const clean = Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined);
  return clean.length ? "?" + new URLSearchParams(clean).toString() : "";
}

async function api(path, params = {}, options = {}) {
  const response = await fetch("/api/" + path + query(params), options);
  const body = await response.json().catch(() => ({ ok: false, error: response.statusText }));
  if (!response.ok || !body.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message || "";
  box.hidden = !message;
}

// A failed query shows its error above the view and leaves the view's form usable.
function orEmpty(promise, empty) {
  return promise.catch((error) => { showError(error.message); return empty; });
}

function link(view, params = {}, ...children) {
  return el("a", { href: `#/${view}${query(params)}` }, ...children);
}

function actor(name, code) {
  if (!name && !code) return el("span", { class: "muted" }, "-");
  return el("span", { class: "actor" }, name || "", code ? el("code", {}, code) : null);
}

function when(row) {
  const precision = row.when_source === "publication" ? "publication" : row.date_precision;
  return el("span", { class: "when" }, row.when_date || "?", " ", el("span", { class: "badge" }, precision));
}

function form(fields, values, onSubmit, extra = []) {
  const inputs = {};
  const node = el("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); onSubmit(read()); } },
    fields.map(([name, label, input]) => {
      inputs[name] = input || el("input", { name, placeholder: label });
      inputs[name].value = values[name] || "";
      return el("label", {}, label, inputs[name]);
    }),
    el("button", { type: "submit" }, "Apply"), extra);
  function read() {
    return Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value.trim()]));
  }
  return node;
}

// -- events ----------------------------------------------------------------------------------------

let cameoRoots = null;

async function rootSelect() {
  cameoRoots = cameoRoots || (await api("cameo")).roots;
  return el("select", { name: "root" }, el("option", { value: "" }, "any"),
    cameoRoots.map((r) => el("option", { value: r.code }, `${r.code} ${r.name}`)));
}

async function events(params) {
  const filters = { actor: params.actor, root: params.root, since: params.since, until: params.until,
    source: params.source, doc: params.doc };
  const offset = Number(params.offset || 0);
  const data = await orEmpty(api("events", { ...filters, limit: PAGE, offset }), { events: [], total: 0 });
  const go = (next) => { location.hash = "#/events" + query(next); };
  const exports = ["csv", "jsonl", "gdelt"].map((format) =>
    el("a", { href: "/api/events" + query({ ...filters, format }), download: true }, format));
  const filterForm = form([
    ["actor", "Actor (RUS, RUSGOV)"], ["root", "CAMEO root", await rootSelect()],
    ["since", "Since (2019-03)"], ["until", "Until"], ["source", "Source"],
  ], params, go, el("span", { class: "exports" }, "Export: ", exports));
  const first = data.total ? offset + 1 : 0;
  const pager = el("div", { class: "pager" },
    el("button", { disabled: offset === 0, onclick: () => go({ ...filters, offset: Math.max(0, offset - PAGE) }) },
      "‹ Previous"),
    ` ${first}–${offset + data.events.length} of ${data.total} event(s) `,
    el("button", { disabled: offset + PAGE >= data.total, onclick: () => go({ ...filters, offset: offset + PAGE }) },
      "Next ›"));
  const rows = data.events.map((e) => el("tr", {},
    el("td", {}, when(e)),
    el("td", {}, actor(e.actor1_name, e.actor1_code)),
    el("td", {}, el("code", {}, e.cameo), " ", e.cameo_name || ""),
    el("td", {}, actor(e.actor2_name, e.actor2_code)),
    el("td", { class: "num" }, e.goldstein ?? ""),
    el("td", {}, e.modality, e.negated ? " (negated)" : ""),
    el("td", { class: "evidence" }, link(`article/${encodeURIComponent(e.doc)}`, { event: e.idx },
      "“", e.evidence_text, "”")),
    el("td", {}, e.source || "", el("div", { class: "muted small" }, e.doc))));
  return [
    el("h1", {}, "Events"), filterForm, pager,
    el("table", {}, el("thead", {}, el("tr", {}, ["Date", "Actor 1", "Action (CAMEO)", "Actor 2", "Goldstein",
      "Modality", "Evidence", "Source"].map((h) => el("th", {}, h)))),
    el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 8, class: "muted" }, "No events.")))),
  ];
}

// -- timeline --------------------------------------------------------------------------------------

async function timeline(params) {
  const data = await orEmpty(api("timeline", { actor: params.actor }), { events: [] });
  const item = (e) => el("li", {},
    el("div", { class: "when-col" }, when(e)),
    el("div", {},
      el("div", {}, actor(e.actor1_name, e.actor1_code), " → ",
        el("strong", {}, e.cameo_name || e.cameo), " ", el("code", {}, e.cameo), " → ",
        actor(e.actor2_name, e.actor2_code)),
      el("blockquote", {}, link(`article/${encodeURIComponent(e.doc)}`, { event: e.idx }, e.evidence_text)),
      el("div", { class: "muted small" }, e.title || e.doc, e.source ? ` · ${e.source}` : "",
        e.attribution ? ` · according to ${e.attribution}` : "")));
  const dated = data.events.filter((e) => e.when_source === "event");
  const undated = data.events.filter((e) => e.when_source !== "event");
  return [
    el("h1", {}, "Timeline"),
    form([["actor", "Actor (VEN, VENGOV)"]], params, (v) => { location.hash = "#/timeline" + query(v); }),
    el("h2", {}, `Dated by the text (${dated.length})`),
    el("ol", { class: "timeline" }, dated.map(item)),
    el("h2", {}, `Dated only by publication (${undated.length})`),
    el("p", { class: "muted" }, "The text does not say when these happened; they are filed under the article's date."),
    el("ol", { class: "timeline" }, undated.map(item)),
  ];
}

// -- dyads -----------------------------------------------------------------------------------------

const QUADS = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];

async function dyads(params) {
  const period = params.period || "month";
  const data = await orEmpty(api("dyads", { pair: params.pair, period }), { dyads: [] });
  const periodSelect = el("select", { name: "period" },
    ["day", "week", "month", "year"].map((p) => el("option", { value: p }, p)));
  const bar = (d) => el("div", { class: "bar", title: QUADS.map((q, i) => `${q}: ${d["quad" + (i + 1)]}`).join(", ") },
    [1, 2, 3, 4].map((q) => el("span", { class: `q${q}`, style: `flex-grow:${d["quad" + q]}` })));
  return [
    el("h1", {}, "Dyads: cooperation and conflict per country pair"),
    form([["pair", "Pair (RUS-VEN) or country"], ["period", "Period", periodSelect]], { ...params, period },
      (v) => { location.hash = "#/dyads" + query(v); }),
    el("p", { class: "legend" }, QUADS.map((q, i) => el("span", {}, el("span", { class: `swatch q${i + 1}` }), q))),
    el("table", {}, el("thead", {}, el("tr", {}, ["Period", "Actor 1", "Actor 2", "Events", "Goldstein mean",
      "Goldstein sum", "QuadClass 1–4"].map((h) => el("th", {}, h)))),
    el("tbody", {}, data.dyads.map((d) => el("tr", {},
      el("td", {}, d.period || el("span", { class: "muted" }, "unknown")),
      el("td", {}, link("events", { actor1: d.actor1 }, el("code", {}, d.actor1))),
      el("td", {}, el("code", {}, d.actor2)),
      el("td", { class: "num" }, d.events),
      el("td", { class: "num" }, d.goldstein_mean ?? ""),
      el("td", { class: "num" }, d.goldstein_sum ?? ""),
      el("td", {}, bar(d), el("span", { class: "muted small" },
        [1, 2, 3, 4].map((q) => d["quad" + q]).join(" / "))))))),
  ];
}

// -- articles --------------------------------------------------------------------------------------

async function articles(params) {
  const offset = Number(params.offset || 0);
  const data = await api("articles", { limit: PAGE, offset });
  const go = (o) => { location.hash = "#/articles" + query({ offset: o }); };
  return [
    el("h1", {}, `Articles (${data.total})`),
    el("div", { class: "pager" },
      el("button", { disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE)) }, "‹ Previous"),
      el("button", { disabled: offset + PAGE >= data.total, onclick: () => go(offset + PAGE) }, "Next ›")),
    el("table", {}, el("thead", {}, el("tr", {}, ["Published", "Title", "Source", "Events"].map((h) => el("th", {}, h)))),
    el("tbody", {}, data.articles.map((a) => el("tr", {},
      el("td", {}, a.published || el("span", { class: "muted" }, "unknown")),
      el("td", {}, link(`article/${encodeURIComponent(a.doc)}`, {}, a.title || a.doc),
        el("div", { class: "muted small" }, a.doc, a.errors && a.errors.length ? " · has errors" : "")),
      el("td", {}, a.source || ""),
      el("td", { class: "num" }, a.events))))),
  ];
}

async function article(params, doc) {
  const data = await api("articles/" + encodeURIComponent(doc));
  return renderArticle(data.article, params.event);
}

// The text with each event's evidence span marked. Offsets count Unicode code points (Python's str
// indexes), so the text is split with Array.from, not indexed as UTF-16.
function markedText(text, evs) {
  const chars = Array.from(text);
  const cuts = new Set([0, chars.length]);
  evs.forEach((e) => { cuts.add(e.evidence.start); cuts.add(e.evidence.end); });
  const points = [...cuts].filter((p) => p >= 0 && p <= chars.length).sort((a, b) => a - b);
  const out = el("div", { class: "text" });
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const piece = chars.slice(start, end).join("");
    const covering = evs.map((e, k) => k).filter((k) => evs[k].evidence.start <= start && end <= evs[k].evidence.end);
    out.append(covering.length
      ? el("mark", { "data-events": covering.join(" "), title: covering.map((k) => `event ${k + 1}`).join(", "),
          onclick: () => focusEvent(covering[0]) }, piece)
      : piece);
    const ending = evs.map((e, k) => k).filter((k) => evs[k].evidence.end === end);
    if (ending.length) out.append(el("sup", { class: "tag" }, ending.map((k) => k + 1).join(",")));
  }
  return out;
}

function focusEvent(k, scroll = true) {
  document.querySelectorAll(".active").forEach((n) => n.classList.remove("active"));
  document.querySelectorAll("mark").forEach((m) => {
    if (m.dataset.events.split(" ").includes(String(k))) m.classList.add("active");
  });
  const card = document.getElementById(`event-${k}`);
  if (!card) return;
  card.classList.add("active");
  if (scroll) {
    const mark = document.querySelector("mark.active");
    (mark || card).scrollIntoView({ block: "center", behavior: "smooth" });
  }
}

function renderArticle(a, focus) {
  const chars = Array.from(a.text);
  const cards = a.events.map((e, k) => {
    const cut = chars.slice(e.evidence.start, e.evidence.end).join("");
    return el("li", { id: `event-${k}`, class: "card", onmouseenter: () => focusEvent(k, false),
      onclick: () => focusEvent(k) },
      el("div", {}, el("span", { class: "tag" }, k + 1), " ",
        actor(e.actor1 && e.actor1.name, e.actor1 && e.actor1.code), " → ",
        el("strong", {}, e.cameo_name || e.cameo), " ", el("code", {}, e.cameo), " → ",
        actor(e.actor2 && e.actor2.name, e.actor2 && e.actor2.code)),
      el("div", { class: "small" }, `${e.date || "?"} (${e.date_precision}) · ${e.modality}`,
        e.negated ? ", negated" : "", e.goldstein !== null ? ` · Goldstein ${e.goldstein}` : "",
        e.attribution ? ` · according to ${e.attribution}` : "", e.place ? ` · in ${e.place}` : ""),
      el("div", { class: "muted small" }, `sentence ${e.evidence.sentence}, characters ${e.evidence.start}–`,
        `${e.evidence.end} · rule ${e.rule}`, e.event_id ? ` · id ${e.event_id}` : ""),
      cut === e.evidence.text ? null
        : el("div", { class: "warn small" }, `The span does not match the stored evidence “${e.evidence.text}”.`));
  });
  const meta = [a.source, a.published && `published ${a.published} (${a.published_source})`,
    a.dateline && `dateline ${a.dateline}`, a.doc].filter(Boolean).join(" · ");
  const view = [
    el("h1", {}, a.title || a.doc),
    el("p", { class: "muted" }, meta, a.url ? [" · ", el("a", { href: a.url, rel: "noreferrer" }, "original")] : null),
    a.errors.length ? el("div", { class: "warn" }, a.errors.join("; ")) : null,
    el("div", { class: "article" },
      markedText(a.text, a.events),
      el("aside", {}, el("h2", {}, `${a.events.length} event(s)`),
        a.events.length ? null : el("p", { class: "muted" }, "No events were coded in this text."),
        el("ol", { class: "cards" }, cards))),
  ];
  if (focus !== undefined && focus !== "") setTimeout(() => focusEvent(Number(focus)), 0);
  return view;
}

// -- entities --------------------------------------------------------------------------------------

async function entities() {
  const data = await api("entities");
  return [
    el("h1", {}, `Entities (${data.entities.length})`),
    el("table", {}, el("thead", {}, el("tr", {}, ["Name", "Code", "Type", "Also written", "Mentions", "Articles"]
      .map((h) => el("th", {}, h)))),
    el("tbody", {}, data.entities.map((e) => el("tr", {},
      el("td", {}, e.name),
      el("td", {}, e.code ? link("events", { actor: e.code }, el("code", {}, e.code)) : ""),
      el("td", {}, e.type || ""), el("td", {}, (e.aliases || []).join(", ")),
      el("td", { class: "num" }, e.mentions), el("td", { class: "num" }, e.articles))))),
  ];
}

// -- analyze ---------------------------------------------------------------------------------------

async function analyze() {
  const text = el("textarea", { name: "text", rows: 12, placeholder: "Paste an Indonesian news article…" });
  const title = el("input", { name: "title", placeholder: "Title (optional)" });
  const published = el("input", { name: "published", placeholder: "Published, e.g. 2024-03-05 (optional)" });
  const result = el("div");
  const submit = async (e) => {
    e.preventDefault();
    showError("");
    result.replaceChildren(el("p", { class: "muted" }, "Analysing…"));
    try {
      const body = { text: text.value, title: title.value || null, published: published.value || null };
      const data = await api("analyze", {}, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body) });
      result.replaceChildren(...renderArticle(data.article).filter(Boolean));
    } catch (error) {
      result.replaceChildren();
      showError(error.message);
    }
  };
  return [
    el("h1", {}, "Analyze a text"),
    el("p", { class: "muted" }, "The text is analysed by the full pipeline and shown with its events; nothing is stored."),
    el("form", { class: "analyze", onsubmit: submit }, text, el("div", { class: "filters" }, title, published,
      el("button", { type: "submit" }, "Analyze"))),
    result,
  ];
}

// -- routing ---------------------------------------------------------------------------------------

async function route() {
  const [path, search = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [name, ...rest] = path.split("/");
  const view = VIEWS[name] ? name : "events";
  const params = Object.fromEntries(new URLSearchParams(search));
  document.querySelectorAll("nav a").forEach((a) =>
    a.classList.toggle("current", a.dataset.view === (view === "article" ? "articles" : view)));
  showError("");
  const main = document.getElementById("view");
  main.setAttribute("aria-busy", "true");
  try {
    const nodes = await VIEWS[view](params, decodeURIComponent(rest.join("/")));
    main.replaceChildren(...nodes.filter(Boolean));
  } catch (error) {
    main.replaceChildren();
    showError(error.message);
  } finally {
    main.removeAttribute("aria-busy");
  }
}

async function storeInfo() {
  try {
    const health = await api("health");
    document.getElementById("store").textContent =
      `${health.store}: ${health.counts.articles} articles, ${health.counts.events} events`;
  } catch (error) {
    showError(error.message);
  }
}

window.addEventListener("hashchange", route);
route();
storeInfo();
