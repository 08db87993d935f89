import { afterEach, describe, expect, it, vi } from "vitest";
import { applyTheme, colorScheme, setTheme, storedTheme } from "../theme";

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    items,
  };
}

function fakeRoot() {
  return { style: { colorScheme: "" } } as unknown as HTMLElement;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("colorScheme", () => {
  it("leaves the system's choice to light-dark() for system, and forces the others", () => {
    expect(colorScheme("system")).toBe("light dark");
    expect(colorScheme("light")).toBe("light");
    expect(colorScheme("dark")).toBe("dark");
  });
});

describe("applyTheme", () => {
  it("sets color-scheme on the root, and back to the system's", () => {
    const root = fakeRoot();
    applyTheme("dark", root);
    expect(root.style.colorScheme).toBe("dark");
    applyTheme("system", root);
    expect(root.style.colorScheme).toBe("light dark");
  });
});

describe("storedTheme and setTheme", () => {
  it("keeps light and dark, and forgets system", () => {
    const storage = memoryStorage();
    const root = fakeRoot();
    vi.stubGlobal("localStorage", storage);
    vi.stubGlobal("document", { documentElement: root });

    expect(storedTheme()).toBe("system");
    setTheme("dark");
    expect(storage.items.get("agencydesk.theme")).toBe("dark");
    expect(root.style.colorScheme).toBe("dark");
    expect(storedTheme()).toBe("dark");
    setTheme("system");
    expect(storage.items.has("agencydesk.theme")).toBe(false);
    expect(storedTheme()).toBe("system");
  });

  it("reads anything unknown as system", () => {
    vi.stubGlobal("localStorage", memoryStorage({ "agencydesk.theme": "sepia" }));
    expect(storedTheme()).toBe("system");
  });

  it("still applies the theme when storage refuses", () => {
    const root = fakeRoot();
    vi.stubGlobal("document", { documentElement: root });
    vi.stubGlobal("localStorage", {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
    });
    expect(storedTheme()).toBe("system");
    expect(() => setTheme("light")).not.toThrow();
    expect(root.style.colorScheme).toBe("light");
  });
});
