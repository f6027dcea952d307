// essaymark in the browser: the page around the WebAssembly engine.
// Everything from the essay, a file name or a rubric is put in the page with
// textContent (never as markup), and the CSP forbids fetching anything.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const api = wasm_bindgen;
  const MARKS = { met: "✔", partial: "◐", missing: "✘" };
  const RANK = { met: 3, partial: 2, missing: 1 };
  const DEBOUNCE_MS = 350;

  // What is graded: the bytes of an opened file until the student edits it,
  // then the text in the editor.
  const state = { name: "essay.txt", bytes: null, rubric: "", page: null, timer: 0 };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pts(p) {
    return String(Math.round(p * 100) / 100);
  }
  function base(name) {
    return name.replace(/\.[^.\/]*$/, "");
  }

  function init() {
    const b64 = $("wasm-base64").textContent.replace(/\s+/g, "");
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    api.initSync({ module: bin });
    $("version").textContent = api.version();
    for (const r of JSON.parse(api.rubrics())) {
      const o = el("option", "", r.title + " (" + r.id + ")");
      o.value = r.id;
      $("rubric").append(o);
    }
    for (const name of JSON.parse(api.samples())) {
      const a = el("a", "", name);
      a.href = "?sample=" + encodeURIComponent(name);
      a.addEventListener("click", (ev) => {
        ev.preventDefault();
        loadSample(name);
      });
      $("sample-links").append(a);
    }
    wire();
    const params = new URLSearchParams(location.search);
    if (params.get("rubric")) {
      $("rubric").value = params.get("rubric");
      state.rubric = params.get("rubric");
    }
    // `?derive=NAME` drafts a rubric from the sample NAME as the model
    // answer and grades with it (demos and tests of the teachers' panel).
    if (params.get("derive")) {
      const model = api.sample(params.get("derive"));
      if (model !== undefined && model !== null) {
        $("derive-panel").open = true;
        $("model").value = model;
        draftFrom(new TextEncoder().encode(model), params.get("derive") + ".txt");
        if (!$("derive-result").hidden) useDraft();
      }
    }
    if (params.get("sample")) {
      loadSample(params.get("sample"));
    } else {
      document.body.dataset.state = "ready";
    }
    // `#evidence` opens on the highlighted essay (for demos and screenshots).
    if (location.hash === "#evidence") showTab("evidence");
  }

  function loadSample(name) {
    const text = api.sample(name);
    if (text === undefined || text === null) {
      showError("no sample named '" + name + "' (samples: " + JSON.parse(api.samples()).join(", ") + ")");
      return;
    }
    setEssay(name + ".txt", null, text);
    regrade();
  }

  function setEssay(name, bytes, text) {
    state.name = name;
    state.bytes = bytes;
    $("essay").value = text;
    $("essay-name").textContent = name;
  }

  function wire() {
    $("essay").addEventListener("input", () => {
      if (state.bytes) {
        // An opened .docx/.odt is now the text in the editor.
        state.bytes = null;
        if (!/\.(txt|text|md|markdown)$/i.test(state.name)) state.name = base(state.name) + ".txt";
        $("essay-name").textContent = state.name;
      }
      clearTimeout(state.timer);
      state.timer = setTimeout(regrade, DEBOUNCE_MS);
    });
    $("rubric").addEventListener("change", () => {
      state.rubric = $("rubric").value;
      regrade();
    });
    $("rubric-file").addEventListener("change", async (ev) => {
      const f = ev.target.files[0];
      if (!f) return;
      state.rubric = await f.text();
      let o = $("rubric").querySelector("option[data-custom]");
      if (!o) {
        o = el("option");
        o.dataset.custom = "1";
        $("rubric").append(o);
      }
      o.textContent = "Loaded: " + f.name;
      o.value = state.rubric;
      $("rubric").value = state.rubric;
      ev.target.value = "";
      regrade();
    });
    $("essay-file").addEventListener("change", (ev) => {
      if (ev.target.files[0]) openFile(ev.target.files[0]);
      ev.target.value = "";
    });
    const drop = $("drop");
    drop.addEventListener("dragover", (ev) => {
      ev.preventDefault();
      drop.classList.add("over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault();
      drop.classList.remove("over");
      const f = ev.dataTransfer.files[0];
      if (f) openFile(f);
    });
    $("tab-write").addEventListener("click", () => showTab("write"));
    $("tab-evidence").addEventListener("click", () => showTab("evidence"));
    $("download").addEventListener("click", download);
    $("model-file").addEventListener("change", async (ev) => {
      const f = ev.target.files[0];
      if (!f) return;
      const bytes = new Uint8Array(await f.arrayBuffer());
      if (/\.(txt|text|md|markdown)$/i.test(f.name)) $("model").value = new TextDecoder().decode(bytes);
      ev.target.value = "";
      draftFrom(bytes, f.name);
    });
    $("derive").addEventListener("click", () => {
      draftFrom(new TextEncoder().encode($("model").value), "model.md");
    });
    $("draft-use").addEventListener("click", useDraft);
    $("draft-download").addEventListener("click", () => {
      saveFile($("draft").value, (state.draftId || "draft") + ".yaml", "text/yaml");
    });
  }

  async function openFile(f) {
    const bytes = new Uint8Array(await f.arrayBuffer());
    let text = "";
    if (/\.(txt|text|md|markdown)$/i.test(f.name)) text = new TextDecoder().decode(bytes);
    setEssay(f.name, bytes, text);
    regrade();
    // A document's text is what the engine extracted from it.
    if (!text && state.page) $("essay").value = textOf(state.page);
  }

  function textOf(page) {
    return page.segments.map((s) => s.t).join("");
  }

  function input() {
    if (state.bytes) return state.bytes;
    return new TextEncoder().encode($("essay").value);
  }

  function regrade() {
    clearTimeout(state.timer);
    const bytes = input();
    if (!state.bytes && !$("essay").value.trim()) {
      state.page = null;
      $("result").hidden = true;
      $("error").hidden = true;
      $("empty").hidden = false;
      $("download").disabled = true;
      document.body.dataset.state = "ready";
      return;
    }
    let page;
    const t0 = performance.now();
    try {
      page = JSON.parse(api.analyse(bytes, state.name, state.rubric));
    } catch (e) {
      showError(e && e.message ? e.message : String(e));
      return;
    }
    const ms = performance.now() - t0;
    state.page = page;
    show(page);
    $("timing").textContent = "graded in " + ms.toFixed(0) + " ms";
  }

  function showError(msg) {
    state.page = null;
    $("error").textContent = msg;
    $("error").hidden = false;
    $("result").hidden = true;
    $("empty").hidden = true;
    $("download").disabled = true;
    document.body.dataset.state = "error";
  }

  function show(page) {
    const r = page.report;
    $("error").hidden = true;
    $("empty").hidden = true;
    $("result").hidden = false;
    $("download").disabled = false;
    $("score").textContent = r.score.toFixed(1);
    $("band").textContent = r.band + (r.passed ? " · passed" : " · not passed");
    $("summary").textContent =
      pts(r.points) + " of " + pts(r.max_points) + " points · " + r.words + " words · " + r.rubric.title;
    const warn = $("warnings");
    warn.replaceChildren();
    if (r.off_topic) warn.append(el("p", "", "Likely off-topic: the text hardly names the question's themes; it may answer another question."));
    else if (r.too_little_argued) warn.append(el("p", "", "Too little argued: the essay is on the question but argues few of its themes; develop more of the arguments listed below."));
    for (const w of r.warnings || []) warn.append(el("p", "", w));
    if (r.positions === "extracted") warn.append(el("p", "", "line:column refer to the text extracted from the document."));
    showNext(page);
    showCriteria(r);
    showEssay(page);
    document.body.dataset.score = String(r.score);
    document.body.dataset.state = "graded";
  }

  function byId(r) {
    const m = new Map();
    r.criteria.forEach((c, i) => m.set(c.id, [c, i]));
    return m;
  }

  function showNext(page) {
    const r = page.report;
    const ids = byId(r);
    const box = $("next");
    box.replaceChildren();
    const [missing, partial] = page.next;
    if (!missing.length && !partial.length) {
      box.append(el("p", "", "Nothing: every criterion is met."));
      return;
    }
    const list = (title, items) => {
      if (!items.length) return;
      box.append(el("h3", "", title));
      for (const id of items) {
        const [c, i] = ids.get(id);
        const d = el("div", "next-item " + c.status);
        const head = el("div", "");
        head.append(el("span", "mark", MARKS[c.status] + " "));
        const a = el("a", "", c.title);
        a.href = "#c-" + i;
        head.append(a);
        const stake = c.status === "missing" ? pts(c.max_points) + " points" : pts(c.points) + "/" + pts(c.max_points) + " points";
        head.append(el("span", "muted", " — " + stake + (c.required ? ", required" : "")));
        d.append(head);
        if (c.note) d.append(el("div", "advice", c.note));
        if (c.feedback) d.append(el("div", "advice", c.feedback));
        if (c.next_level) d.append(el("div", "advice", "Next level: " + c.next_level + "."));
        box.append(d);
      }
    };
    list("Missing arguments", missing);
    list("To develop (partial credit)", partial);
  }

  function showCriteria(r) {
    const box = $("criteria");
    box.replaceChildren();
    let section = null;
    r.criteria.forEach((c, i) => {
      if (c.section !== section) {
        section = c.section;
        box.append(el("h3", "", section.replace(/[-_]/g, " ")));
      }
      const d = el("div", "crit " + c.status);
      d.id = "c-" + i;
      const head = el("div", "crit-head");
      head.append(el("span", "mark", MARKS[c.status]));
      head.append(el("span", "title", c.title));
      if (c.required) head.append(el("span", "req", "required"));
      head.append(el("span", "pts", pts(c.points) + "/" + pts(c.max_points) + (c.level ? " · " + c.level.replace("-", " ") : "")));
      head.addEventListener("click", () => focusCriterion(i));
      d.append(head);
      if (c.note) d.append(el("div", "note", c.note));
      if (c.feedback) d.append(el("div", "advice", c.feedback));
      if (c.status === "met" && c.next_level) d.append(el("div", "advice", "Next level: " + c.next_level + "."));
      if (c.evidence.length) {
        const ul = el("ul");
        for (const e of c.evidence) {
          const li = el("li");
          li.append(el("span", "loc", e.line + ":" + e.column));
          li.append(document.createTextNode(e.text));
          if (e.found_as) li.append(el("span", "muted", " (spelled “" + e.found_as + "”)"));
          li.addEventListener("click", () => focusCriterion(i));
          ul.append(li);
        }
        d.append(ul);
      }
      box.append(d);
    });
  }

  function showEssay(page) {
    const statuses = page.report.criteria.map((c) => c.status);
    const box = $("highlighted");
    const frag = document.createDocumentFragment();
    for (const s of page.segments) {
      if (!s.c.length) {
        frag.append(document.createTextNode(s.t));
        continue;
      }
      // The best status among the criteria this sentence is evidence for.
      const best = s.c.map((i) => statuses[i]).sort((a, b) => RANK[b] - RANK[a])[0];
      const m = el("mark", best, s.t);
      m.dataset.c = " " + s.c.join(" ") + " ";
      m.title = s.c.map((i) => page.report.criteria[i].title).join(" · ");
      frag.append(m);
    }
    box.replaceChildren(frag);
  }

  function showTab(which) {
    const ev = which === "evidence";
    $("tab-write").setAttribute("aria-selected", String(!ev));
    $("tab-evidence").setAttribute("aria-selected", String(ev));
    $("essay").hidden = ev;
    $("highlighted").hidden = !ev;
  }

  function focusCriterion(i) {
    showTab("evidence");
    const box = $("highlighted");
    let first = null;
    for (const m of box.querySelectorAll("mark")) {
      const on = m.dataset.c.includes(" " + i + " ");
      m.classList.toggle("focus", on);
      if (on && !first) first = m;
    }
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // Draft a rubric from a model answer (derive), show it for review.
  function draftFrom(bytes, name) {
    $("derive-error").hidden = true;
    $("derive-name").textContent = name;
    let d;
    try {
      d = JSON.parse(api.derive(bytes, name));
    } catch (e) {
      $("derive-error").textContent = e && e.message ? e.message : String(e);
      $("derive-error").hidden = false;
      $("derive-result").hidden = true;
      return;
    }
    state.draftId = d.id;
    $("derive-summary").textContent =
      "Drafted " + d.id + ": " + d.criteria + " criteria in " + d.sections + " sections (" +
      d.scholars + " scholars" + (d.lenses.length ? ", lens: " + d.lenses.join(", ") : "") +
      "). The model answer scores " + pts(d.score) + " against it." +
      (d.listed.length ? " One point each (the model only lists them): " + d.listed.join(", ") + "." : "");
    const list = $("derive-misspellings");
    list.textContent = "";
    for (const m of d.misspellings) {
      list.append(el("li", "", "Line " + m.line + ": " + m.word + " → " + m.suggestion +
        " (" + m.because + "), corrected in the draft"));
    }
    $("draft").value = d.yaml;
    $("derive-result").hidden = false;
  }

  // The reviewed draft becomes the page's rubric, as a loaded YAML file does.
  function useDraft() {
    state.rubric = $("draft").value;
    let o = $("rubric").querySelector("option[data-custom]");
    if (!o) {
      o = el("option");
      o.dataset.custom = "1";
      $("rubric").append(o);
    }
    o.textContent = "Draft: " + (state.draftId || "derived");
    o.value = state.rubric;
    $("rubric").value = state.rubric;
    regrade();
  }

  function saveFile(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    const a = el("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function download() {
    if (!state.page) return;
    const fmt = $("download-format").value;
    let text;
    try {
      text = api.render(input(), state.name, state.rubric, fmt);
    } catch (e) {
      showError(e && e.message ? e.message : String(e));
      return;
    }
    const types = { html: "text/html", md: "text/markdown", txt: "text/plain", json: "application/json" };
    saveFile(text, base(state.name) + "-report." + fmt, types[fmt]);
  }

  try {
    init();
  } catch (e) {
    showError("essaymark could not start in this browser: " + (e && e.message ? e.message : String(e)));
  }
})();
