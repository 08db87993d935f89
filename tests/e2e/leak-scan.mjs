// Runs after the real-window suite (tests/e2e/run.sh): every secret the tests remembered
// (secrets.mjs) must be absent from every byte the run left behind: the data folder (SQLite
// files, WAL, backups, logs; demo and real agency), the exported files, the IPC log (every answer
// the window received, recorded by the e2e test build) and the app's stderr (through the
// driver's log, at RUST_LOG=trace). It also checks that it had something to look for and in, so
// a run that recorded nothing cannot pass.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const [secretsFile, ipcLog, ...places] = process.argv.slice(2);

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

const secrets = [...new Set(readFileSync(secretsFile, "utf8").split("\n").filter(Boolean))];
const problems = [];
if (secrets.length < 2) problems.push(`only ${secrets.length} secret(s) were remembered: the tests did not register their keys`);

const ipc = existsSync(ipcLog) ? readFileSync(ipcLog, "utf8") : "";
const commands = new Set(ipc.split("\n").filter(Boolean).map((l) => JSON.parse(l).command));
for (const needed of ["get_status", "start_demo", "start_real", "link_client", "list_clients"]) {
  if (!commands.has(needed)) problems.push(`the IPC log holds no answer of ${needed}: answers were not recorded`);
}

let scanned = 0;
let bytes = 0;
for (const file of [ipcLog, ...places.flatMap(files)]) {
  const content = readFileSync(file);
  scanned += 1;
  bytes += content.length;
  const text = content.toString("latin1");
  const lower = text.toLowerCase();
  for (const secret of secrets) {
    if (text.includes(secret) || lower.includes(secret.toLowerCase())) {
      problems.push(`a secret (${secret.slice(0, 4)}…) is in ${file}`);
    }
  }
}

console.log(`leak scan: ${secrets.length} secrets, ${commands.size} commands answered, ${scanned} files, ${bytes} bytes`);
if (problems.length) {
  for (const p of problems) console.error(`leak scan: ${p}`);
  process.exit(1);
}
