// The loading/busy/error bookkeeping every screen needs around the back end, written once:
// `resource` for what a screen reads (a list, a preview, a chart) and `action` for what a button
// does (save, delete, export). Neither ever rejects: a failure lands in `error` as a BackendError,
// which the screen shows with ErrorNotice.
import { untrack } from "svelte";
import { asBackendError, type BackendError } from "./backend";

/**
 * Data read from the back end. `reload()` reads it again; when reloads overlap (the month changed
 * twice quickly), only the latest answer is kept, whatever order they arrive in. The last value
 * stays while reloading and after a failure, so a screen can dim it rather than blank it.
 *
 * Call `reload()` from an `$effect` to reload when something changes: whatever `load` reads
 * before its first `await` is tracked by that effect, like any function it calls.
 */
export class Resource<T> {
  /** The latest answer; null until the first one. Screens may replace it (a row was updated). */
  value: T | null = $state(null);
  loading = $state(false);
  error: BackendError | null = $state(null);

  readonly #load: () => Promise<T>;
  #latest = 0;

  constructor(load: () => Promise<T>) {
    this.#load = load;
  }

  async reload(): Promise<void> {
    const mine = ++this.#latest;
    this.loading = true;
    this.error = null;
    try {
      const value = await this.#load();
      if (mine === this.#latest) this.value = value;
    } catch (error) {
      if (mine === this.#latest) this.error = asBackendError(error);
    } finally {
      if (mine === this.#latest) this.loading = false;
    }
  }

  /**
   * Drops the answers of the reloads in progress (what they were asked no longer applies), keeping
   * the value and error shown until the next reload.
   */
  cancel(): void {
    this.#latest++;
    this.loading = false;
  }

  /** Forgets the answer, as before the first load. */
  reset(): void {
    this.cancel();
    this.value = null;
    this.error = null;
  }
}

export function resource<T>(load: () => Promise<T>): Resource<T> {
  return new Resource(load);
}

/**
 * A command behind a button: `busy` while it runs (to disable the button and show a spinner) and
 * the `error` of its last run. A run can be about a subject (a key id, a row) so a list can show
 * the spinner and the error on the row concerned.
 */
export class Action<A extends unknown[]> {
  /** The subject of each run in progress (`""` for runs about nothing in particular). */
  running: readonly string[] = $state([]);
  /** The latest failure of any run; cleared when the next run starts. */
  error: BackendError | null = $state(null);
  /** The subject of that failure. */
  failedOn: string | null = $state(null);
  /** Each subject's last failure, kept until that subject runs again (a form per row). */
  #failures: Record<string, BackendError> = $state({});

  readonly #run: (...args: A) => Promise<unknown>;

  constructor(run: (...args: A) => Promise<unknown>) {
    this.#run = run;
  }

  get busy(): boolean {
    return this.running.length > 0;
  }

  busyOn(subject: string): boolean {
    return this.running.includes(subject);
  }

  errorOn(subject: string): BackendError | null {
    return this.#failures[subject] ?? null;
  }

  /** Runs the command; resolves to true when it succeeded, false when it failed (see `error`). */
  run(...args: A): Promise<boolean> {
    return this.runOn("", ...args);
  }

  async runOn(subject: string, ...args: A): Promise<boolean> {
    // Read untracked: a run started from an effect must not make that effect depend on it.
    this.running = [...untrack(() => this.running), subject];
    this.error = null;
    this.failedOn = null;
    this.clear(subject);
    try {
      await this.#run(...args);
      return true;
    } catch (error) {
      const failure = asBackendError(error);
      this.error = failure;
      this.failedOn = subject;
      this.#failures = { ...untrack(() => this.#failures), [subject]: failure };
      return false;
    } finally {
      const running = untrack(() => this.running);
      const at = running.indexOf(subject);
      this.running = running.filter((_, i) => i !== at);
    }
  }

  /** Forgets the failures: of one subject, or (without one) all of them. */
  clear(subject?: string): void {
    untrack(() => {
      if (subject === undefined || this.failedOn === subject) {
        this.error = null;
        this.failedOn = null;
      }
      if (subject === undefined) this.#failures = {};
      else if (subject in this.#failures) {
        const { [subject]: _gone, ...rest } = this.#failures;
        this.#failures = rest;
      }
    });
  }
}

export function action<A extends unknown[]>(run: (...args: A) => Promise<unknown>): Action<A> {
  return new Action(run);
}
