import { describe, expect, it } from "vitest";
import { AlertsState, describeThreshold } from "../alerts.svelte";
import type { SpendThreshold } from "../backend";

const client: SpendThreshold = { orgId: "org-1", orgName: "Acme", kind: "amount", value: "250.5" };
const share: SpendThreshold = { orgId: "org-1", orgName: "Acme", kind: "limit_share", value: "80" };
const agency: SpendThreshold = { orgId: null, orgName: null, kind: "amount", value: "1000" };

describe("spend alert marks", () => {
  it("describes each kind of threshold", () => {
    expect(describeThreshold(client)).toBe("250.5 USD a month");
    expect(describeThreshold(share)).toBe("80% of the billing limit");
  });

  it("finds a client's marks and the agency's", () => {
    const state = new AlertsState();
    expect(state.agencyMark()).toBeNull();
    state.marks = [client, share, agency];
    expect(state.forClient("org-1")).toEqual([client, share]);
    expect(state.forClient("org-2")).toEqual([]);
    expect(state.agencyMark()).toEqual(agency);
    state.clear();
    expect(state.marks).toEqual([]);
    expect(state.agencyMark()).toBeNull();
  });
});
