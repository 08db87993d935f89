import { describe, expect, it } from "vitest";
import { adviceFor } from "../advice";

describe("adviceFor", () => {
  it("points at the next step for codes the person can act on", () => {
    expect(adviceFor("Network")).toMatch(/internet connection/);
    expect(adviceFor("Unauthorized")).toMatch(/private API key/);
    expect(adviceFor("KeychainUnavailable")).toMatch(/demo agency/);
    expect(adviceFor("KeychainLocked")).toMatch(/Unlock your keyring/);
    expect(adviceFor("DatabaseTooNew")).toMatch(/newer version/);
  });

  it("adds nothing where the message already says it all", () => {
    expect(adviceFor("Unknown")).toBeNull();
    expect(adviceFor("InvalidInput")).toBeNull();
    expect(adviceFor("Cancelled")).toBeNull();
  });
});
