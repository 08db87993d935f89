// Turns a generated snippet into a page: the snippet file as the CLI printed it, an entry that
// imports the recorder first, then the snippet, bundled by esbuild exactly as a client's build
// would (the @vapi-ai/web package from npm, resolved through NODE_PATH).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { siteDir } from "./env.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const recorder = join(here, "..", "harness", "record.js");
const nodeModules = join(here, "..", "node_modules");

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>client site</title></head>
<body><h1>Client site</h1><script src="bundle.js"></script></body></html>
`;

/**
 * Writes site/<name>/{snippet.js, entry.js, bundle.js, index.html}. `entry` is the scenario's code;
 * it can import `watch`/`record` from RECORDER and the snippet's exports from "./snippet.js".
 */
export async function snippetPage(name, snippetCode, entry) {
  const dir = join(siteDir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "snippet.js"), snippetCode);
  const entryFile = join(dir, "entry.js");
  writeFileSync(entryFile, `import ${JSON.stringify(recorder)};\n${entry}`);
  await build({
    entryPoints: [entryFile],
    outfile: join(dir, "bundle.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    nodePaths: [nodeModules],
    logLevel: "error",
  });
  writeFileSync(join(dir, "index.html"), PAGE);
  return dir;
}

/** Writes a plain file into the site (e.g. the JWT endpoint's answer). */
export function siteFile(path, content) {
  const file = join(siteDir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}
