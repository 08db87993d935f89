// The open agency's orgs, kept in one place so a link, refresh or unlink anywhere updates the
// sidebar count and the Clients screen alike. The agency's own org is kept apart: it is not a
// client, and the Clients screen lists clients only.
import { asBackendError, listClients, type BackendError, type ClientOrgView } from "./backend";

export class ClientsState {
  /** Client orgs only; `null` until the first load. */
  items: ClientOrgView[] | null = $state(null);
  /** The agency's own org, when linked. */
  agency: ClientOrgView | null = $state(null);
  loading = $state(false);
  error: BackendError | null = $state(null);

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const orgs = await listClients();
      this.agency = orgs.find((o) => o.kind === "agency") ?? null;
      this.items = orgs.filter((o) => o.kind === "client");
    } catch (error) {
      this.error = asBackendError(error);
    } finally {
      this.loading = false;
    }
  }

  /** Puts a freshly linked or refreshed org in place, replacing its old entry if any. */
  upsert(org: ClientOrgView): void {
    if (org.kind === "agency") {
      this.agency = org;
      return;
    }
    const items = this.items ?? [];
    const at = items.findIndex((c) => c.id === org.id);
    const next = at === -1 ? [...items, org] : items.map((c, i) => (i === at ? org : c));
    this.items = next.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  }

  remove(orgId: string): void {
    this.items = (this.items ?? []).filter((c) => c.id !== orgId);
    if (this.agency?.id === orgId) this.agency = null;
  }

  clear(): void {
    this.items = null;
    this.agency = null;
    this.error = null;
    this.loading = false;
  }
}
