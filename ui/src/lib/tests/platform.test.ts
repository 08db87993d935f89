import { beforeEach, describe, expect, it, vi } from "vitest";

// The plugins only work inside the app's window: stand-ins record what the UI asked of them.
const writeText = vi.fn();
const listen = vi.fn();
vi.mock("@tauri-apps/plugin-clipboard-manager", () => ({ writeText }));
vi.mock("@tauri-apps/api/event", () => ({ listen }));

const { BackendError } = await import("../backend");
const { copyText, onEvent } = await import("../platform");

beforeEach(() => {
  writeText.mockReset();
  listen.mockReset();
});

describe("copyText", () => {
  it("writes the text to the clipboard", async () => {
    writeText.mockResolvedValue(undefined);
    await copyText("<script>vapi</script>");
    expect(writeText).toHaveBeenCalledWith("<script>vapi</script>");
  });

  it("says to copy by hand when the clipboard refuses", async () => {
    writeText.mockRejectedValue("denied");
    await expect(copyText("x")).rejects.toThrow(/clipboard \(denied\).*copy it by hand/);
  });
});

describe("onEvent", () => {
  it("hands the handler each payload and returns the way to stop", async () => {
    const stop = vi.fn();
    listen.mockImplementation(async (_name: string, cb: (e: { payload: unknown }) => void) => {
      cb({ payload: { orgId: "org-1", pages: 2 } });
      return stop;
    });
    const seen: unknown[] = [];
    const unlisten = await onEvent("sync-progress", (p) => seen.push(p));
    expect(listen).toHaveBeenCalledWith("sync-progress", expect.any(Function));
    expect(seen).toEqual([{ orgId: "org-1", pages: 2 }]);
    unlisten();
    expect(stop).toHaveBeenCalledOnce();
  });

  it("fails as a BackendError when events cannot be followed", async () => {
    listen.mockRejectedValue(new Error("no IPC"));
    await expect(onEvent("sync-finished", () => {})).rejects.toBeInstanceOf(BackendError);
  });
});
