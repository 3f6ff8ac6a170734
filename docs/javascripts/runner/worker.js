// The Python of the runnable blocks, in a dedicated module Worker (runner.js starts it on the
// first Run), so that a reader's endless loop or the 13 MB of Pyodide never block the page.
//
// The first message is {type: "load", assets}: Pyodide is loaded from the site's assets/pyodide/
// (hooks/pyodide_assets.py), the book's backprop_book package is unpacked beside bp_runner.py
// and checks.py (fetched from this folder), and the worker answers {type: "ready"} or
// {type: "failed", error}. Then each {id, kind: "run", before, code} or
// {id, kind: "check", name, lang, code} is answered, in order, by {type: "started", id} when
// Python starts on it and {type: "done", id, output} or {type: "done", id, printed, passed,
// message} when it ends; a failure of the runner itself is {type: "error", id, error}. What
// the reader's code prints is text (and figure markup) for the page to clean and show: this
// worker never touches a page. Stop is the page terminating the worker.

let runtime = null; // the promise of a ready Pyodide

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function load(assets) {
  const { loadPyodide } = await import(new URL("pyodide.mjs", assets).href);
  const py = await loadPyodide({ indexURL: assets, stdout: () => {}, stderr: () => {} });
  const home = "/home/pyodide";
  py.unpackArchive(await fetchBytes(new URL("backprop_book.zip", assets)), "zip", {
    extractDir: home,
  });
  for (const name of ["bp_runner.py", "checks.py"]) {
    const bytes = await fetchBytes(new URL(name, import.meta.url));
    py.FS.writeFile(`${home}/${name}`, new Uint8Array(bytes));
  }
  const path = JSON.stringify(home);
  py.runPython(`import sys\nif ${path} not in sys.path: sys.path.insert(0, ${path})\nimport bp_runner, checks`);
  return py;
}

function execute(py, job) {
  const runner = py.pyimport("bp_runner");
  if (job.kind === "run") {
    return { output: runner.run(py.toPy(job.before || []), job.code) };
  }
  const printed = runner.run(py.toPy([]), job.code);
  const result = py.pyimport("checks").check(job.name, job.lang || "en");
  const [passed, message] = result.toJs();
  result.destroy();
  return { printed, passed, message };
}

const message = (error) => String(error && error.message ? error.message : error);

self.addEventListener("message", async ({ data }) => {
  if (data.type === "load") {
    if (!runtime) runtime = load(data.assets);
    runtime.then(
      () => self.postMessage({ type: "ready" }),
      (error) => self.postMessage({ type: "failed", error: message(error) }),
    );
    return;
  }
  try {
    const py = await runtime;
    self.postMessage({ type: "started", id: data.id });
    self.postMessage({ type: "done", id: data.id, ...execute(py, data) });
  } catch (error) {
    self.postMessage({ type: "error", id: data.id, error: message(error) });
  }
});
