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
// Pyodide is loaded from this site (assets/pyodide/) on the first Run, never before, together
// with the book's backprop_book package as the build packed it (hooks/pyodide_assets.py).
// Code runs on the page's thread; what it prints, or its traceback, goes to the output box.

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
  },
  ko: {
    edit: "코드 고치기(Python, 브라우저에서 실행됩니다)",
    exercise: "내 코드(Python, 브라우저에서 실행됩니다)",
    run: "실행", reset: "되돌리기", check: "채점",
    output: "브라우저에서 나온 출력",
    loading: "브라우저에 Python을 불러오는 중입니다(약 13 MB, 처음 한 번만)…",
    running: "실행 중…", empty: "(출력 없음)",
    failed: "Python을 불러오지 못했습니다: ",
  },
};
const text = () => TEXT[KO() ? "ko" : "en"];

let assetsURL = null;
let runtime = null; // the promise of a ready Pyodide
let counter = 0;

function loadRuntime() {
  if (!runtime) {
    runtime = (async () => {
      const { loadPyodide } = await import(new URL("pyodide.mjs", assetsURL).href);
      const py = await loadPyodide({ indexURL: assetsURL, stdout: () => {}, stderr: () => {} });
      const fetchBytes = async (url) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      };
      const home = "/home/pyodide";
      py.unpackArchive(await fetchBytes(new URL("backprop_book.zip", assetsURL)), "zip", {
        extractDir: home,
      });
      for (const name of ["bp_runner.py", "checks.py"]) {
        const bytes = await fetchBytes(new URL(name, import.meta.url));
        py.FS.writeFile(`${home}/${name}`, new Uint8Array(bytes));
      }
      py.runPython(`import sys\nif ${JSON.stringify(home)} not in sys.path: sys.path.insert(0, ${JSON.stringify(home)})\nimport bp_runner, checks`);
      return py;
    })();
    runtime.catch(() => { runtime = null; });
  }
  return runtime;
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

function codeOf(container) {
  const code = container.querySelector(".language-python code, .language-py code");
  return code ? code.textContent.replace(/\n$/, "") : "";
}

function panel(container, kind) {
  const t = text();
  const source = container.querySelector(".language-python, .language-py");
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
  buttons.append(run, reset);
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
    }
  });
  run.addEventListener("click", async () => {
    heading.hidden = false;
    box.setAttribute("aria-busy", "true");
    run.disabled = true;
    show(box, runtime ? t.running : t.loading);
    try {
      const py = await loadRuntime();
      const started = performance.now();
      const runner = py.pyimport("bp_runner");
      if (kind === "run") {
        const before = earlierBlocks(container).map((c) => c.querySelector(".bp-run__editor").value);
        show(box, runner.run(py.toPy(before), editor.value));
      } else {
        const printed = runner.run(py.toPy([]), editor.value);
        const result = py.pyimport("checks").check(container.dataset.bpExercise, document.documentElement.lang || "en").toJs();
        const [passed, message] = result;
        container.classList.toggle("bp-passed", passed);
        container.classList.toggle("bp-failed", !passed);
        show(box, (printed ? printed + "\n" : "") + (passed ? "✓ " : "✗ ") + message);
      }
      container.dataset.bpMs = String(Math.round(performance.now() - started));
    } catch (error) {
      show(box, t.failed + String(error && error.message ? error.message : error));
    } finally {
      box.removeAttribute("aria-busy");
      run.disabled = false;
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
  for (const container of document.querySelectorAll("[data-bp-run]:not([data-bp-ready])")) {
    container.dataset.bpReady = "";
    panel(container, "run");
  }
  for (const container of document.querySelectorAll("[data-bp-exercise]:not([data-bp-ready])")) {
    container.dataset.bpReady = "";
    panel(container, "exercise");
  }
}
