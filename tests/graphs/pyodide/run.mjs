// Run Python in Pyodide under Node, offline, with backprop_book.graphs as the build packs it.
// Usage: node run.mjs <indexURL of node_modules/pyodide/> <folder with backprop_book/> <script.py>
// Prints what the script prints. Pyodide is the copy of package-lock.json; nothing is fetched.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadPyodide } from "pyodide";

const [indexURL, packageRoot, script] = process.argv.slice(2);
const pyodide = await loadPyodide({ indexURL, stdout: (s) => console.log(s) });

function copyTree(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) copyTree(path, `${to}/${name}`);
    else if (name.endsWith(".py")) pyodide.FS.writeFile(`${to}/${name}`, readFileSync(path));
  }
}
copyTree(join(packageRoot, "backprop_book"), "/home/pyodide/backprop_book");
await pyodide.runPythonAsync(readFileSync(script, "utf8"));
