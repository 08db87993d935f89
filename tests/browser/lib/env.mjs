// What run.sh set up: the simulator's manifest, the page server's port and folder, the binaries.
import { readFileSync } from "node:fs";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through tests/browser/run.sh`);
  return value;
}

export const manifest = JSON.parse(readFileSync(required("BROWSER_MANIFEST"), "utf8"));
export const simUrl = manifest.url;
export const work = required("BROWSER_WORK");
export const siteDir = required("BROWSER_SITE_DIR");
export const sitePort = Number(required("BROWSER_SITE_PORT"));
export const app = required("AGENCYDESK_APP");
export const chromium = required("CHROMIUM");

/** The client's real site, and a site that copied its snippet. Both are this machine. */
export const allowedOrigin = `http://client-a.localhost:${sitePort}`;
export const evilOrigin = `http://evil.localhost:${sitePort}`;

/** Every private key the simulator made up: none may ever reach a page. */
export const privateKeys = [manifest.agency.privateKey, ...manifest.orgs.map((o) => o.privateKey)];
