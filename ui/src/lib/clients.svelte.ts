// The client list the sidebar counts and the Clients screen shows, kept in one place so a link,
// refresh or unlink anywhere updates both.
import { BackendError, listClients, type ClientOrgView } from "./backend";

export class ClientsState {
  items: ClientOrgView[] | null = $state(null);
  loading = $state(false);
  error: BackendError | null = $state(null);

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      this.items = await listClients();
    } catch (error) {
      this.error = error instanceof BackendError ? error : new BackendError("internal", String(error));
    } finally {
      this.loading = false;
    }
  }

  /** Puts a freshly linked or refreshed client in the list, replacing its old row if any. */
  upsert(client: ClientOrgView): void {
    const items = this.items ?? [];
    const at = items.findIndex((c) => c.id === client.id);
    this.items = at === -1 ? [...items, client] : items.map((c, i) => (i === at ? client : c));
  }

  remove(clientId: string): void {
    this.items = (this.items ?? []).filter((c) => c.id !== clientId);
  }

  clear(): void {
    this.items = null;
    this.error = null;
    this.loading = false;
  }
}
