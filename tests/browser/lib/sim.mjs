// The simulator's HTTP API, spoken with an org's private key (what the keys CLI will do later).
import { simUrl } from "./env.mjs";

export async function api(method, path, key, body) {
  const response = await fetch(`${simUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Web calls of the org created at or after `since` (an ISO time), newest first. */
export async function webCallsSince(privateKey, since) {
  const query = new URLSearchParams({ createdAtGe: since, limit: "1000" });
  const calls = await api("GET", `/call?${query}`, privateKey);
  return calls.filter((c) => c.type === "webCall");
}
