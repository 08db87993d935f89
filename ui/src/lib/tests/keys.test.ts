import { describe, expect, it } from "vitest";
import type { Finding } from "../bindings/Finding";
import type { PublicKeyView } from "../bindings/PublicKeyView";
import { assistantLabel, emptyRequest, keyName, pickerOrder, requestFromKey, snippetKindInfo, SNIPPET_KINDS, worstSeverity } from "../keys";

function key(over: Partial<PublicKeyView> & { restrictions?: Partial<PublicKeyView["restrictions"]> }): PublicKeyView {
  const { restrictions, ...rest } = over;
  return {
    id: "0123456789abcdef",
    name: "Website",
    enabled: true,
    restrictions: { allowedOrigins: null, allowedAssistantIds: null, allowTransientAssistant: null, ...restrictions },
    ...rest,
  } as PublicKeyView;
}

describe("names", () => {
  it("names unnamed keys and assistants by their id", () => {
    expect(keyName({ id: "0123456789abcdef", name: "  " })).toBe("Unnamed key 01234567");
    expect(keyName({ id: "x", name: " Main site " })).toBe("Main site");
    expect(assistantLabel({ id: "abcdef0123", name: null } as never)).toBe("Unnamed assistant abcdef01");
  });
});

describe("snippet kinds", () => {
  it("finds each kind and falls back to the first", () => {
    expect(snippetKindInfo("proxy").embedsKey).toBe(false);
    expect(snippetKindInfo("react").embedsKey).toBe(true);
    expect(snippetKindInfo("nope" as never)).toBe(SNIPPET_KINDS[0]);
  });
});

describe("worstSeverity", () => {
  const finding = (severity: Finding["severity"]) => ({ severity }) as Finding;
  it("picks the most serious finding", () => {
    expect(worstSeverity([finding("low"), finding("high"), finding("medium")])).toBe("high");
    expect(worstSeverity([finding("low"), finding("medium")])).toBe("medium");
    expect(worstSeverity([finding("low")])).toBe("low");
    expect(worstSeverity([])).toBeNull();
  });
});

describe("requestFromKey", () => {
  it("starts the form from what a restricted key allows", () => {
    const request = requestFromKey(
      key({ restrictions: { allowedOrigins: ["https://acme.com"], allowedAssistantIds: ["a1"], allowTransientAssistant: true } }),
    );
    expect(request).toEqual({
      origins: ["https://acme.com"],
      assistantIds: ["a1"],
      anyOrigin: false,
      anyAssistant: false,
      // Listing assistants turns transient ones off, whatever the flag says.
      allowTransient: false,
      overrideReason: null,
    });
  });

  it("shows an open key as open, with one empty origin to fill in", () => {
    const request = requestFromKey(key({}));
    expect(request.origins).toEqual([""]);
    expect(request.anyOrigin).toBe(true);
    expect(request.anyAssistant).toBe(true);
    expect(request.allowTransient).toBe(true);
    expect(requestFromKey(key({ restrictions: { allowTransientAssistant: false } })).allowTransient).toBe(false);
  });

  it("copies the lists, so editing the form leaves the key alone", () => {
    const k = key({ restrictions: { allowedOrigins: ["https://a.com"] } });
    requestFromKey(k).origins.push("https://b.com");
    expect(k.restrictions.allowedOrigins).toEqual(["https://a.com"]);
  });
});

describe("emptyRequest", () => {
  it("widens nothing", () => {
    expect(emptyRequest()).toEqual({ origins: [""], assistantIds: [], anyOrigin: false, anyAssistant: false, allowTransient: false, overrideReason: null });
  });
});

describe("pickerOrder", () => {
  it("offers enabled keys first, then by name, without reordering the input", () => {
    const keys = [key({ id: "1", name: "Zed" }), key({ id: "2", name: "Old", enabled: false }), key({ id: "3", name: "Alpha" })];
    expect(pickerOrder(keys).map((k) => k.id)).toEqual(["3", "1", "2"]);
    expect(keys.map((k) => k.id)).toEqual(["1", "2", "3"]);
  });
});
