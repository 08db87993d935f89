// Spend alert marks and the background sync, as every screen sees them: one shared state fed by
// the back end's events (a sync's check, a background sync's end), so the client rows, the
// overview's total and the sidebar agree. Listening starts with the first user and lasts as long
// as the window.
import {
  asBackendError,
  backgroundSyncStatus,
  onBackgroundSync,
  onSpendAlerts,
  onSyncFinished,
  spendAlertMarks,
  type BackendError,
  type BackgroundSyncStatus,
  type SpendThreshold,
} from "./backend";

export class AlertsState {
  /** Thresholds crossed this month and still set. */
  marks: SpendThreshold[] = $state([]);
  background: BackgroundSyncStatus | null = $state(null);
  /** A background sync's failure, shown once until dismissed (the sidebar keeps a quiet line). */
  backgroundNotice: string | null = $state(null);
  error: BackendError | null = $state(null);

  private listening: Promise<void> | null = null;

  async load(): Promise<void> {
    this.listening ??= this.listen();
    await this.listening;
    await this.refresh();
  }

  private async listen(): Promise<void> {
    try {
      await onSpendAlerts(() => void this.refresh());
      await onSyncFinished(() => void this.refresh());
      await onBackgroundSync((status) => {
        const newError = status.error !== null && status.error !== this.background?.error;
        this.background = status;
        if (newError) this.backgroundNotice = status.error;
      });
    } catch (error) {
      this.error = asBackendError(error);
      this.listening = null;
    }
  }

  async refresh(): Promise<void> {
    try {
      const [marks, background] = await Promise.all([spendAlertMarks(), backgroundSyncStatus()]);
      this.marks = marks;
      this.background = background;
      this.error = null;
    } catch (error) {
      this.error = asBackendError(error);
    }
  }

  /** The client's crossed thresholds this month. */
  forClient(orgId: string): SpendThreshold[] {
    return this.marks.filter((m) => m.orgId === orgId);
  }

  /** The agency-wide threshold, if crossed this month. */
  agencyMark(): SpendThreshold | null {
    return this.marks.find((m) => m.orgId === null) ?? null;
  }

  clear(): void {
    this.marks = [];
    this.background = null;
    this.backgroundNotice = null;
    this.error = null;
  }
}

export const alerts = new AlertsState();

/** "80% of its billing limit" / "250 USD a month". */
export function describeThreshold(t: SpendThreshold): string {
  return t.kind === "limit_share" ? `${t.value}% of the billing limit` : `${t.value} USD a month`;
}
