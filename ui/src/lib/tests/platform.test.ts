import { beforeEach, describe, expect, it, vi } from "vitest";

// The plugins only work inside the app's window: stand-ins record what the UI asked of them.
const save = vi.fn();
const writeText = vi.fn();
const listen = vi.fn();
vi.mock("@tauri-apps/plugin-dialog", () => ({ save }));
vi.mock("@tauri-apps/plugin-clipboard-manager", () => ({ writeText }));
vi.mock("@tauri-apps/api/event", () => ({ listen }));

const { BackendError } = await import("../backend");
const { chooseSavePath, copyText, onEvent } = await import("../platform");

const csv = { title: "Export invoice as CSV", suggestedName: "invoice.csv", filter: { name: "CSV file", extensions: ["csv"] } };

beforeEach(() => {
  save.mockReset();
  writeText.mockReset();
  listen.mockReset();
});

describe("chooseSavePath", () => {
  it("asks the save dialog with the suggested name and the file type", async () => {
    save.mockResolvedValue("/home/me/invoice.csv");
    await expect(chooseSavePath(csv)).resolves.toBe("/home/me/invoice.csv");
    expect(save).toHaveBeenCalledWith({
      title: "Export invoice as CSV",
      defaultPath: "invoice.csv",
      filters: [{ name: "CSV file", extensions: ["csv"] }],
    });
  });

  it("answers null when the dialog is cancelled", async () => {
    save.mockResolvedValue(null);
    await expect(chooseSavePath(csv, null)).resolves.toBeNull();
  });

  it("takes the e2e override without opening any dialog", async () => {
    await expect(chooseSavePath(csv, "/tmp/e2e/export.csv")).resolves.toBe("/tmp/e2e/export.csv");
    expect(save).not.toHaveBeenCalled();
  });

  it("treats an empty override as none", async () => {
    save.mockResolvedValue("/chosen.csv");
    await expect(chooseSavePath(csv, "")).resolves.toBe("/chosen.csv");
    expect(save).toHaveBeenCalledOnce();
  });

  it("turns a dialog failure into words for the person", async () => {
    save.mockRejectedValue(new Error("no portal"));
    const failure = await chooseSavePath(csv).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendError);
    expect(failure).toMatchObject({ code: "Unknown" });
    expect((failure as Error).message).toMatch(/save dialog could not open \(no portal\)/);
  });
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
