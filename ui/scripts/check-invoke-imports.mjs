// The UI talks to the Rust side through ONE module, src/lib/backend.ts: it alone may import
// @tauri-apps/api/core (invoke). Components call its typed functions, so every command's argument
// names, result type and error shape live in one place. Fails `npm run check` on any other importer,
// and on a command name typed by hand in backend.ts: commands go through the table generated from
// Rust (src/lib/bindings/commands.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const allowed = join("src", "lib", "backend.ts");
// Any import/export-from or dynamic import of the core API (or the package root, which re-exports it).
const forbidden = /(?:from\s*|import\s*\(?\s*)["']@tauri-apps\/api(?:\/core)?["']/;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(svelte|ts|js|mjs)$/.test(name)) yield path;
  }
}

// invoke("name", ...) or invoke<T>("name", ...): a command name written by hand.
const handTyped = /\binvoke\s*(?:<[^>]*>)?\s*\(\s*["'`]/;

const offenders = [];
for (const file of walk(src)) {
  const rel = relative(root, file);
  const lines = readFileSync(file, "utf8").split("\n");
  if (rel === allowed) {
    lines.forEach((line, i) => {
      if (handTyped.test(line)) offenders.push(`${allowed}:${i + 1}: a hand-typed command name: ${line.trim()}`);
    });
    continue;
  }
  lines.forEach((line, i) => {
    if (forbidden.test(line)) offenders.push(`${rel.split(sep).join("/")}:${i + 1}: ${line.trim()}`);
  });
}

if (offenders.length > 0) {
  console.error(
    "Only src/lib/backend.ts may import @tauri-apps/api/core (call backend.ts instead), and it calls commands " +
      "through the generated table in src/lib/bindings/commands.ts:",
  );
  for (const o of offenders) console.error(`  ${o}`);
  process.exit(1);
}
console.log("invoke boundary: only src/lib/backend.ts imports @tauri-apps/api/core, with no hand-typed command name");
