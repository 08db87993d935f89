// Call sync as every screen sees it: one shared state fed by the back end's events, so the
// clients list, the client overview and the calls tab show the same progress and the same last
// sync. Listening starts with the first screen that uses it and lasts as long as the window.
import {
  asBackendError,
  cancelSync,
  onSyncFinished,
  onSyncProgress,
  startSync,
  syncStatus,
  type BackendError,
  type OrgSyncStatus,
  type SyncFinished,
  type SyncProgress,
} from "./backend";
import type { SyncPhase } from "./bindings/SyncPhase";

const FINAL: ReadonlySet<SyncPhase> = new Set(["done", "failed", "cancelled"]);

export function isFinal(phase: SyncPhase): boolean {
  return FINAL.has(phase);
}

export class SyncState {
  /** Org id -> its sync (last complete sync, last error, progress while running). */
  byOrg: Record<string, OrgSyncStatus> = $state({});
  /** Why the status could not be read or a sync could not start. */
  error: BackendError | null = $state(null);
  /** Counts finished runs: views reading the cache reload when it changes. */
  finishedRuns = $state(0);
  lastFinished: SyncFinished | null = $state(null);

  private listening: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;

  /** Starts listening (once) and reads every org's status. */
  async load(): Promise<void> {
    this.listening ??= this.listen();
    await this.listening;
    await this.refresh();
  }

  private async listen(): Promise<void> {
    try {
      await onSyncProgress((p) => this.onProgress(p));
      await onSyncFinished((f) => this.onFinished(f));
    } catch (error) {
      this.error = asBackendError(error);
      this.listening = null;
    }
  }

  /** Reads every org's status; concurrent callers share one request. */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const statuses = await syncStatus();
        this.byOrg = Object.fromEntries(
          statuses.map((s) => {
            // Keep how the org's last sync in this window ended ("Up to date: 1,918 calls
            // cached"); the back end only tracks running syncs.
            const shown = this.byOrg[s.orgId]?.progress;
            const keep = !s.running && !s.progress && shown && isFinal(shown.phase);
            return [s.orgId, keep ? { ...s, progress: shown } : s];
          }),
        );
      } catch (error) {
        this.error = asBackendError(error);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  status(orgId: string): OrgSyncStatus | null {
    return this.byOrg[orgId] ?? null;
  }

  running(orgId: string): boolean {
    return this.byOrg[orgId]?.running ?? false;
  }

  anyRunning(): boolean {
    return Object.values(this.byOrg).some((s) => s.running);
  }

  /** Syncs one org (or every client org, for null). Progress then arrives through events. */
  async start(orgId: string | null): Promise<void> {
    this.error = null;
    const before = { ...this.byOrg };
    try {
      const started = await startSync(orgId);
      for (const id of started.orgIds) {
        // Shown as running at once, before the run's first event; but a short run can finish
        // (and its events land) before `startSync` answers: an org whose state changed meanwhile
        // already shows that run and must not be put back to "starting".
        if (this.byOrg[id] !== before[id]) continue;
        this.byOrg[id] = { ...this.placeholder(id), ...this.byOrg[id], running: true, progress: null };
      }
    } catch (error) {
      this.error = asBackendError(error);
    }
  }

  async cancel(orgId: string | null): Promise<void> {
    try {
      await cancelSync(orgId);
    } catch (error) {
      this.error = asBackendError(error);
    }
  }

  private placeholder(orgId: string): OrgSyncStatus {
    return { orgId, lastSyncAt: null, lastError: null, running: false, progress: null };
  }

  private onProgress(progress: SyncProgress): void {
    const previous = this.byOrg[progress.orgId] ?? this.placeholder(progress.orgId);
    const done = isFinal(progress.phase);
    this.byOrg[progress.orgId] = {
      ...previous,
      running: !done,
      progress,
      // The final event says how it ended; the saved status (read after the run) confirms it.
      lastError: progress.phase === "failed" ? progress.message : done ? null : previous.lastError,
      lastSyncAt: progress.phase === "done" ? new Date().toISOString() : previous.lastSyncAt,
    };
  }

  private onFinished(finished: SyncFinished): void {
    this.lastFinished = finished;
    this.finishedRuns += 1;
    void this.refresh();
  }

  /** Forgets everything (the agency was closed). Listening goes on. */
  clear(): void {
    this.byOrg = {};
    this.error = null;
    this.lastFinished = null;
  }
}

/** The window's one sync state. */
export const sync = new SyncState();

/** `Reading history: 12 pages, 11,834 calls, back to 3 Aug 2026`-style words for a progress line. */
export function describeProgress(progress: SyncProgress): string {
  const counts = `${progress.pages.toLocaleString("en")} ${progress.pages === 1 ? "page" : "pages"}, ${progress.calls.toLocaleString("en")} calls`;
  switch (progress.phase) {
    case "listing":
      return "Starting…";
    case "backfill":
      return `Reading the call history: ${counts}${progress.reached ? `, back to ${shortDate(progress.reached)}` : ""}`;
    case "incremental":
      return `Reading new and updated calls: ${counts}`;
    case "done":
    case "failed":
    case "cancelled":
      return progress.message;
  }
}

function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString("en", { day: "numeric", month: "short", year: "numeric" });
}
