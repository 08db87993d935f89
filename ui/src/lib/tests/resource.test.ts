import { describe, expect, it } from "vitest";
import { BackendError } from "../backend";
import { action, resource } from "../resource.svelte";

/** A promise settled from outside, to decide the order answers arrive in. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("resource", () => {
  it("is loading until the answer comes, then holds it", async () => {
    const answer = deferred<string[]>();
    const keys = resource(() => answer.promise);
    expect(keys.value).toBeNull();
    const done = keys.reload();
    expect(keys.loading).toBe(true);
    answer.resolve(["k1"]);
    await done;
    expect(keys.loading).toBe(false);
    expect(keys.value).toEqual(["k1"]);
    expect(keys.error).toBeNull();
  });

  it("turns a failure into a BackendError and keeps the last value", async () => {
    let fail = false;
    const r = resource(async () => {
      if (fail) throw { code: "Network", message: "Vapi did not answer." };
      return 42;
    });
    await r.reload();
    fail = true;
    await r.reload();
    expect(r.value).toBe(42);
    expect(r.error).toBeInstanceOf(BackendError);
    expect(r.error).toMatchObject({ code: "Network", message: "Vapi did not answer." });
    expect(r.loading).toBe(false);
  });

  it("keeps only the latest answer when reloads overlap", async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const r = resource(() => answers[call++]!.promise);
    const first = r.reload();
    const second = r.reload();
    answers[1]!.resolve("October");
    await second;
    answers[0]!.resolve("September");
    await first;
    expect(r.value).toBe("October");
    expect(r.loading).toBe(false);
  });

  it("ignores a late failure of an overtaken reload", async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const r = resource(() => answers[call++]!.promise);
    const first = r.reload();
    const second = r.reload();
    answers[1]!.resolve("fresh");
    answers[0]!.reject(new Error("stale"));
    await Promise.all([first, second]);
    expect(r.value).toBe("fresh");
    expect(r.error).toBeNull();
  });

  it("cancel drops the answers in flight and keeps what is shown", async () => {
    const answer = deferred<string>();
    const r = resource(() => answer.promise);
    r.value = "shown";
    const pending = r.reload();
    r.cancel();
    expect(r.loading).toBe(false);
    answer.resolve("for text that changed since");
    await pending;
    expect(r.value).toBe("shown");
  });

  it("reset forgets the value and the error", async () => {
    const r = resource<string>(async () => {
      throw new Error("boom");
    });
    r.value = "old";
    await r.reload();
    expect(r.error?.message).toMatch(/boom/);
    r.reset();
    expect(r.value).toBeNull();
    expect(r.error).toBeNull();
  });
});

describe("action", () => {
  it("is busy while the command runs and says whether it succeeded", async () => {
    const gate = deferred<void>();
    const saved: string[] = [];
    const save = action(async (name: string) => {
      await gate.promise;
      saved.push(name);
    });
    const run = save.run("Acme");
    expect(save.busy).toBe(true);
    gate.resolve();
    await expect(run).resolves.toBe(true);
    expect(save.busy).toBe(false);
    expect(saved).toEqual(["Acme"]);
  });

  it("keeps the failure, as a BackendError, until the next run", async () => {
    let fail = true;
    const save = action(async () => {
      if (fail) throw { code: "InvalidInput", message: "Give the key a name." };
    });
    await expect(save.run()).resolves.toBe(false);
    expect(save.error).toMatchObject({ code: "InvalidInput", message: "Give the key a name." });
    expect(save.busy).toBe(false);
    fail = false;
    const again = save.run();
    expect(save.error).toBeNull();
    await again;
    expect(save.error).toBeNull();
  });

  it("tracks runs about different subjects apart", async () => {
    const gates: Record<string, ReturnType<typeof deferred<void>>> = { a: deferred(), b: deferred() };
    const refresh = action(async (id: string) => {
      await gates[id]!.promise;
      if (id === "b") throw new Error("refused");
    });
    const a = refresh.runOn("a", "a");
    const b = refresh.runOn("b", "b");
    expect(refresh.busyOn("a") && refresh.busyOn("b")).toBe(true);
    gates.a!.resolve();
    await a;
    expect(refresh.busyOn("a")).toBe(false);
    expect(refresh.busy).toBe(true);
    gates.b!.resolve();
    await b;
    expect(refresh.busy).toBe(false);
    expect(refresh.failedOn).toBe("b");
    expect(refresh.errorOn("b")?.message).toMatch(/refused/);
    expect(refresh.errorOn("a")).toBeNull();
  });

  it("keeps each subject's failure until that subject runs again or is cleared", async () => {
    const save = action(async (id: string) => {
      throw new Error(`no ${id}`);
    });
    await save.runOn("org-1", "org-1");
    await save.runOn("org-2", "org-2");
    expect(save.errorOn("org-1")?.message).toMatch(/no org-1/);
    expect(save.error?.message).toMatch(/no org-2/);
    save.clear("org-1");
    expect(save.errorOn("org-1")).toBeNull();
    expect(save.errorOn("org-2")).not.toBeNull();
    save.clear();
    expect(save.errorOn("org-2")).toBeNull();
    expect(save.error).toBeNull();
  });
});
