// The UI reaches Tauri through TWO modules, and `npm run check` fails on any other importer:
// - src/lib/backend.ts alone imports @tauri-apps/api/core (invoke): components call its typed
//   functions, and backend.ts calls commands only through the table generated from Rust
//   (src/lib/bindings/commands.ts), so a command name typed by hand there fails too;
// - src/lib/platform.ts alone imports the plugins (@tauri-apps/plugin-*) and the event API, so
//   the clipboard, dialogs and events fail with the same plain-words errors everywhere.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const BACKEND = "src/lib/backend.ts";
const PLATFORM = "src/lib/platform.ts";

// Which files may import a module, by the module's name. Anything under @tauri-apps/ that no rule
// names (another plugin, @tauri-apps/api/window...) belongs in platform.ts too.
const rules = [
  // The core API, or the package root, which re-exports it.
  { test: (m) => m === "@tauri-apps/api" || m === "@tauri-apps/api/core", allowed: [BACKEND], owner: BACKEND },
  { test: (m) => m.startsWith("@tauri-apps/"), allowed: [PLATFORM], owner: PLATFORM },
];

// import/export ... from "m", import("m"), import "m".
const specifier = /(?:from\s*|import\s*\(?\s*)["'](@tauri-apps\/[^"']*)["']/g;

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
  const rel = relative(root, file).split(sep).join("/");
  const lines = readFileSync(file, "utf8").split("\n");
  if (rel === BACKEND) {
    lines.forEach((line, i) => {
      if (handTyped.test(line)) offenders.push(`${BACKEND}:${i + 1}: a hand-typed command name: ${line.trim()}`);
    });
  }
  lines.forEach((line, i) => {
      for (const [, module] of line.matchAll(specifier)) {
        const rule = rules.find((r) => r.test(module));
        if (rule && !rule.allowed.includes(rel)) offenders.push(`${rel}:${i + 1}: ${module} (use ${rule.owner})`);
      }
    });
}

if (offenders.length > 0) {
  console.error(
    "Tauri is imported outside its two modules (backend.ts for commands, platform.ts for plugins and events), " +
      "or backend.ts names a command by hand instead of using the generated table (bindings/commands.ts):",
  );
  for (const o of offenders) console.error(`  ${o}`);
  process.exit(1);
}
console.log(`Tauri boundary: only ${BACKEND} imports @tauri-apps/api/core; plugins and events go through ${PLATFORM}`);
