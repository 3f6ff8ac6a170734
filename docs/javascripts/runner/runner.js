// Runnable blocks and self-checking exercises: the pages' Python, edited and run in the browser.
//
// A block is marked in the Markdown source by a wrapper (md_in_html):
//   <div class="bp-run" data-bp-run="SESSION" markdown> ```python exec="on" ...``` </div>
// SESSION is the markdown-exec session of the block ("" for none). The earlier runnable blocks
// of the same session on the page run first, silently, as they did at build time, so that the
// unedited code prints what the build printed. An exercise is
//   <div class="bp-exercise" data-bp-exercise="NAME" markdown> starter code, hint </div>
// and Check runs the reader's code, then checks.py's check(NAME) in the same runtime.
//
// A lab notebook is made runnable as a whole: hooks/pyodide_assets.py marks the page's
// notebook (mkdocs-jupyter's <div class="jupyter-wrapper">) with data-bp-notebook="SESSION"
// when the notebook's metadata asks for it, and every code cell of it becomes a runnable block
// of that session here: Run replays the cells above it, as a notebook's kernel would hold them.
// The cell's own source (mkdocs-jupyter's copy-to-clipboard text) is the editor's code; what
// the build's kernel printed stays below it.
//
// Pyodide is loaded from this site (assets/pyodide/) on the first Run, never before, together
// with the book's backprop_book package as the build packed it (hooks/pyodide_assets.py), in a
// dedicated module Worker (worker.js): the page keeps scrolling while Python loads, and a
// reader's endless loop never freezes it. The page only sends the code and receives what it
// printed (or its traceback), which it cleans and shows here. While code runs, Stop (or Escape
// in the editor) terminates the worker, and so does a time limit; the next Run starts a fresh
// one and replays the session's earlier blocks as always.

export const LIMIT_S = 20; // a generous time limit for one run: the book's blocks take milliseconds
// The limit in force: LIMIT_S, unless <html data-bp-run-limit="S"> asks for another (the tests'
// short limit; the site never sets it).
const limitS = () => Number(document.documentElement.dataset.bpRunLimit) || LIMIT_S;
const KO = () => (document.documentElement.lang || "").startsWith("ko");
const TEXT = {
  en: {
    edit: "Edit the code (Python, runs in your browser)",
    exercise: "Your code (Python, runs in your browser)",
    run: "Run", reset: "Reset", check: "Check",
    output: "Output in your browser",
    loading: "Loading Python in your browser (about 13 MB, the first time only)…",
    running: "Running…", empty: "(no output)",
    failed: "Python could not be loaded: ",
    stop: "Stop",
    stopped: "Stopped: the code was interrupted. Run starts Python afresh.",
    limit: (s) => `Stopped after ${s} s: the code ran too long. Run starts Python afresh.`,
  },
  ko: {
    edit: "코드 고치기(Python, 브라우저에서 실행됩니다)",
    exercise: "내 코드(Python, 브라우저에서 실행됩니다)",
    run: "실행", reset: "되돌리기", check: "채점",
    output: "브라우저에서 나온 출력",
    loading: "브라우저에 Python을 불러오는 중입니다(약 13 MB, 처음 한 번만)…",
    running: "실행 중…", empty: "(출력 없음)",
    failed: "Python을 불러오지 못했습니다: ",
    stop: "중지",
    stopped: "실행을 중지했습니다. 다시 실행하면 Python을 처음부터 새로 시작합니다.",
    limit: (s) => `${s}초가 지나도 끝나지 않아 실행을 중지했습니다. 다시 실행하면 Python을 처음부터 새로 시작합니다.`,
  },
};
const text = () => TEXT[KO() ? "ko" : "en"];

let assetsURL = null;
let python = null; // the running worker: {worker, loaded, jobs (the runs sent, by id)}
let counter = 0;
let jobs = 0;

// Why a run ended without its output: the reader pressed Stop, or the time limit passed.
class Stopped extends Error {
  constructor(why, seconds = 0) {
    super(why);
    this.seconds = seconds; // the limit that passed
  }
}

function startPython() {
  if (python) return python;
  const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module", name: "bp-runner" });
  const state = { worker, loaded: false, jobs: new Map() };
  worker.addEventListener("message", ({ data }) => {
    if (data.type === "ready") {
      state.loaded = true; // Python has loaded: later Runs say "Running…" at once
      return;
    }
    if (data.type === "failed") return end(state, new Error(data.error));
    const job = state.jobs.get(data.id);
    if (!job) return;
    if (data.type === "started") {
      const seconds = limitS();
      job.timer = setTimeout(() => end(state, new Stopped("limit", seconds)), seconds * 1000);
      job.started();
      return;
    }
    clearTimeout(job.timer);
    state.jobs.delete(data.id);
    if (data.type === "done") job.resolve(data);
    else job.reject(new Error(data.error));
  });
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    end(state, new Error(event.message || "worker.js could not start"));
  });
  worker.postMessage({ type: "load", assets: assetsURL });
  python = state;
  return state;
}

// Terminate the worker (Stop, the time limit, a failure): every pending run ends with `error`.
function end(state, error) {
  state.worker.terminate();
  if (python === state) python = null;
  for (const job of state.jobs.values()) {
    clearTimeout(job.timer);
    job.reject(error);
  }
  state.jobs.clear();
}

// Send one run to the worker; `started` is called when Python starts on it.
function call(message, box, started) {
  const state = startPython();
  const id = ++jobs;
  return new Promise((resolve, reject) => {
    state.jobs.set(id, { box, started, resolve, reject, timer: null });
    state.worker.postMessage({ ...message, id });
  });
}

// Python's output as the page shows it: text in a <pre>, a figure the drawing code printed
// (figure_html, to_svg) as the figure itself. The markup is the reader's own code's; scripts,
// event handlers and links out are removed all the same.
const FIGURE = /<figure[\s\S]*?<\/figure>|<svg[\s\S]*?<\/svg>/g;

function clean(node) {
  for (const bad of node.querySelectorAll("script, iframe, object, embed, foreignObject, style")) bad.remove();
  for (const el of [node, ...node.querySelectorAll("*")]) {
    for (const attr of [...el.attributes]) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on") || value.startsWith("javascript:") || (/href$/.test(attr.name) && !value.startsWith("#"))) {
        el.removeAttribute(attr.name);
      }
    }
  }
  return node;
}

function show(box, output) {
  box.replaceChildren();
  let last = 0;
  const addText = (s) => {
    if (!s.trim()) return;
    const pre = document.createElement("pre");
    pre.className = "bp-run__text";
    pre.textContent = s.replace(/^\n+/, "");
    box.append(pre);
  };
  for (const match of output.matchAll(FIGURE)) {
    addText(output.slice(last, match.index));
    const doc = new DOMParser().parseFromString(match[0], "text/html");
    const div = document.createElement("div");
    div.className = "bp-run__figure";
    div.append(...[...doc.body.childNodes].map((n) => clean(document.importNode(n, true))));
    box.append(div);
    last = match.index + match[0].length;
  }
  addText(output.slice(last));
  if (!box.childNodes.length) addText(text().empty);
}

// The code of a block: a Markdown page's highlighted Python, or a notebook cell's source.
function sourceOf(container) {
  return container.querySelector(".language-python, .language-py") ||
    container.querySelector(":scope > .jp-Cell-inputWrapper");
}

function codeOf(container) {
  const code = container.querySelector(".language-python code, .language-py code") ||
    container.querySelector(":scope > .jp-Cell-inputWrapper .clipboard-copy-txt");
  return code ? code.textContent.replace(/\n$/, "") : "";
}

// Each code cell of a runnable notebook becomes a runnable block of the notebook's session.
function markNotebookCells() {
  for (const notebook of document.querySelectorAll(".jupyter-wrapper[data-bp-notebook]")) {
    for (const input of notebook.querySelectorAll(".jp-CodeCell > .jp-Cell-inputWrapper")) {
      const cell = input.parentElement;
      if (cell.hasAttribute("data-bp-run") || !codeOf(cell)) continue;
      cell.classList.add("bp-run", "bp-run--notebook");
      cell.dataset.bpRun = notebook.dataset.bpNotebook;
    }
  }
}

function panel(container, kind) {
  const t = text();
  const source = sourceOf(container);
  const original = codeOf(container);
  const id = `bp-run-${++counter}`;
  const wrap = document.createElement("div");
  wrap.className = "bp-run__panel";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = kind === "run" ? t.edit : t.exercise;
  const editor = document.createElement("textarea");
  editor.id = id;
  editor.className = "bp-run__editor";
  editor.value = original;
  editor.spellcheck = false;
  editor.setAttribute("autocapitalize", "off");
  editor.setAttribute("autocomplete", "off");
  editor.wrap = "off";
  editor.rows = Math.min(Math.max(original.split("\n").length, 3), 30);
  const buttons = document.createElement("div");
  buttons.className = "bp-run__buttons";
  const run = document.createElement("button");
  run.type = "button";
  run.className = "md-button md-button--primary bp-run__run";
  run.textContent = kind === "run" ? t.run : t.check;
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "md-button bp-run__reset";
  reset.textContent = t.reset;
  const stop = document.createElement("button");
  stop.type = "button";
  stop.className = "md-button bp-run__stop";
  stop.textContent = t.stop;
  stop.hidden = true; // shown while the code runs
  buttons.append(run, stop, reset);
  const heading = document.createElement("p");
  heading.className = "bp-run__heading";
  heading.id = `${id}-out`;
  heading.textContent = t.output;
  heading.hidden = true;
  const box = document.createElement("div");
  box.className = "bp-run__output";
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  box.setAttribute("aria-labelledby", heading.id);
  wrap.append(label, editor, buttons, heading, box);
  if (source) {
    source.before(wrap);
    source.hidden = true; // the editor holds the same code
  } else {
    container.prepend(wrap);
  }
  reset.addEventListener("click", () => {
    editor.value = original;
    box.replaceChildren();
    heading.hidden = true;
    container.classList.remove("bp-failed", "bp-passed");
    editor.focus();
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run.click();
    } else if (event.key === "Escape" && !stop.hidden) {
      event.preventDefault();
      stop.click();
    }
  });
  stop.addEventListener("click", () => {
    if (python) end(python, new Stopped("stop"));
  });
  run.addEventListener("click", async () => {
    heading.hidden = false;
    box.setAttribute("aria-busy", "true");
    const focused = document.activeElement === run;
    run.disabled = true;
    stop.hidden = false;
    if (focused) stop.focus(); // a keyboard reader's next Enter or Space stops the run
    show(box, python && python.loaded ? t.running : t.loading);
    let started = 0;
    const begin = () => {
      started = performance.now();
      show(box, t.running);
    };
    try {
      if (kind === "run") {
        const before = earlierBlocks(container).map((c) => c.querySelector(".bp-run__editor").value);
        const reply = await call({ kind: "run", before, code: editor.value }, box, begin);
        show(box, reply.output);
      } else {
        const lang = document.documentElement.lang || "en";
        const name = container.dataset.bpExercise;
        const reply = await call({ kind: "check", name, lang, code: editor.value }, box, begin);
        container.classList.toggle("bp-passed", reply.passed);
        container.classList.toggle("bp-failed", !reply.passed);
        show(box, (reply.printed ? reply.printed + "\n" : "") + (reply.passed ? "✓ " : "✗ ") + reply.message);
      }
      container.dataset.bpMs = String(Math.round(performance.now() - started));
    } catch (error) {
      if (error instanceof Stopped) show(box, error.message === "limit" ? t.limit(error.seconds) : t.stopped);
      else show(box, t.failed + String(error && error.message ? error.message : error));
    } finally {
      box.removeAttribute("aria-busy");
      run.disabled = false;
      const hadFocus = document.activeElement === stop;
      stop.hidden = true;
      if (hadFocus) run.focus();
    }
  });
}

function earlierBlocks(container) {
  const session = container.dataset.bpRun;
  if (!session) return [];
  const all = [...document.querySelectorAll(".bp-run[data-bp-run]")];
  return all.slice(0, all.indexOf(container)).filter((c) => c.dataset.bpRun === session && c.querySelector(".bp-run__editor"));
}

export function init(assets) {
  assetsURL = assets;
  // After an instant navigation, code still running for a block that left the page is stopped.
  if (python && [...python.jobs.values()].some((job) => !job.box.isConnected)) {
    end(python, new Stopped("stop"));
  }
  markNotebookCells();
  for (const container of document.querySelectorAll("[data-bp-run]:not([data-bp-ready])")) {
    container.dataset.bpReady = "";
    panel(container, "run");
  }
  for (const container of document.querySelectorAll("[data-bp-exercise]:not([data-bp-ready])")) {
    container.dataset.bpReady = "";
    panel(container, "exercise");
  }
}
