// The one module that talks to the Rust side. Components import these typed functions and never
// `invoke` themselves (scripts/check-invoke-imports.mjs enforces it). Command names, argument names
// and result types come from the generated table in ./bindings/commands.ts (written from the Rust
// declarations); this module adds the error shape and the names components use.
import { invoke } from "@tauri-apps/api/core";
import { commands as generatedCommands, type Events, type Invoke } from "./bindings/commands";
import { toBackendError } from "./errors";
import { onEvent, type UnlistenFn } from "./platform";
import type { AppStatus } from "./bindings/AppStatus";
import type { BillingLimits } from "./bindings/BillingLimits";
import type { ClientOrgView } from "./bindings/ClientOrgView";
import type { Code } from "./bindings/Code";
import type { SessionInfo } from "./bindings/SessionInfo";
// settings
import type { AgencyDetails } from "./bindings/AgencyDetails";
import type { AgencyDetailsView } from "./bindings/AgencyDetailsView";
import type { AgencySettings } from "./bindings/AgencySettings";
import type { EnvironmentInfo } from "./bindings/EnvironmentInfo";
import type { ExportOptions } from "./bindings/ExportOptions";
import type { About } from "./bindings/About";
import type { Diagnostics } from "./bindings/Diagnostics";
import type { UpdateCheck } from "./bindings/UpdateCheck";
import type { UpdateInstalled } from "./bindings/UpdateInstalled";
import type { SettingsUpdate } from "./bindings/SettingsUpdate";
import type { BackupInfo } from "./bindings/BackupInfo";
import type { CacheRebuild } from "./bindings/CacheRebuild";
import type { RestoreReport } from "./bindings/RestoreReport";
// billing
import type { AgencyOverview } from "./bindings/AgencyOverview";
import type { BillingAudit } from "./bindings/BillingAudit";
import type { Bucket } from "./bindings/Bucket";
import type { ChartKind } from "./bindings/ChartKind";
import type { ClientBilling } from "./bindings/ClientBilling";
import type { ExportOutcome } from "./bindings/ExportOutcome";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { Period } from "./bindings/Period";
import type { PlanForm } from "./bindings/PlanForm";
import type { PlanIssue } from "./bindings/PlanIssue";
import type { PlanState } from "./bindings/PlanState";

export { asBackendError, BackendError } from "./errors";

// The generated command table (src-tauri's #[ipc::command] declarations): names, argument names
// and result types come from Rust, so nothing below types a command name by hand.
const send: Invoke = async (command, args) => {
  try {
    return await invoke(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
};
const commands = generatedCommands(send);

// Onboarding and session.
export const getStatus = (): Promise<AppStatus> => commands.getStatus();
export const startDemo = (): Promise<SessionInfo> => commands.startDemo();
export const startReal = (): Promise<SessionInfo> => commands.startReal();
export const closeSession = (): Promise<void> => commands.closeSession();

// Clients.
export const listClients = (): Promise<ClientOrgView[]> => commands.listClients();
/** Sends the private key once; the answer carries at most its fingerprint, never the key. */
export const linkClient = (baseUrl: string, key: string): Promise<ClientOrgView> =>
  commands.linkClient(baseUrl, key);
/** Links the agency's own org, whose key creates client orgs; answers like `linkClient`. */
export const linkAgency = (baseUrl: string, key: string): Promise<ClientOrgView> =>
  commands.linkAgency(baseUrl, key);
/** Creates a client org through the agency's own key, at the agency org's stored address. */
export const createClientOrg = (name: string): Promise<ClientOrgView> => commands.createClientOrg(name);
export const refreshClient = (clientId: string): Promise<ClientOrgView> =>
  commands.refreshClient(clientId);
export const unlinkClient = (clientId: string): Promise<void> => commands.unlinkClient(clientId);
/** The org's monthly billing limit at Vapi and its subscription facts, asked of Vapi now. */
export const getBillingLimits = (clientId: string): Promise<BillingLimits> => commands.getBillingLimits(clientId);
/** Sets the limit (USD a month, the text typed); refused as Vapi would refuse it. */
export const setBillingLimit = (clientId: string, amount: string): Promise<BillingLimits> =>
  commands.setBillingLimit(clientId, amount);

// --- billing ---
// Plans, invoice previews, exports, charts and the agency overview. Amounts are decimal text.
/** The client's plan for the editor (`saved: false`: a suggested start, nothing stored yet). */
export const getPricingPlan = (clientId: string): Promise<PlanState> => commands.getPricingPlan(clientId);
/** Every problem of the form, tied to its fields; empty when it can be saved. */
export const checkPricingPlan = (form: PlanForm): Promise<PlanIssue[]> => commands.checkPricingPlan(form);
export const savePricingPlan = (clientId: string, form: PlanForm): Promise<PlanState> =>
  commands.savePricingPlan(clientId, form);
/** Invoice preview, owner's cost and margin, billing audit and any invoice already issued. */
export const invoicePreview = (clientId: string, period: Period): Promise<ClientBilling> =>
  commands.invoicePreview(clientId, period);
export const billingAudit = (clientId: string, period: Period): Promise<BillingAudit> =>
  commands.billingAudit(clientId, period);
/** The chart as an image URL (`data:image/svg+xml;base64,...`) for an `<img>`, never markup. */
export const clientChart = (clientId: string, period: Period, kind: ChartKind, bucket: Bucket): Promise<string> =>
  commands.clientChart(clientId, period, kind, bucket);
/** Spend alerts come from the clients' thresholds in USD. */
export const agencyOverview = (period: Period, chart: ChartKind): Promise<AgencyOverview> =>
  commands.agencyOverview(period, chart);
/**
 * Opens the system's save dialog (the back end opens it: the page never names a path, it only
 * suggests a file name), then issues the invoice (or re-uses the one already issued) and writes
 * the CSV where the person chose. null when the dialog was cancelled: nothing issued or written.
 */
export const exportInvoiceCsv = (request: ExportRequest, suggestedName: string): Promise<ExportOutcome | null> =>
  commands.exportInvoiceCsv(request, suggestedName);
/** The client's monthly report as PDF (no cost or margin); resolves to the path, null if cancelled. */
export const saveClientReport = (clientId: string, month: Period, suggestedName: string): Promise<string | null> =>
  commands.saveClientReport(clientId, month, suggestedName);
/** The same as a PDF for the client, with the agency's details and logo (save dialog as above). */
export const exportInvoicePdf = (request: ExportRequest, suggestedName: string): Promise<ExportOutcome | null> =>
  commands.exportInvoicePdf(request, suggestedName);

export type { AppStatus, BillingLimits, ClientOrgView, Code, SessionInfo };

// --- keys and snippets ---
// Public keys (published in pages by design), the key audit, snippets and test JWTs. No call
// here sends or returns a private key. `maxKeyAgeDays` is the rotation age from the Key audit
// screen (null: the back end's default).
import type { FixOutcome } from "./bindings/FixOutcome";
import type { Fix } from "./bindings/Fix";
import type { KeyAuditReport } from "./bindings/KeyAuditReport";
import type { MintedJwt } from "./bindings/MintedJwt";
import type { OriginCheck } from "./bindings/OriginCheck";
import type { PublicKeyView } from "./bindings/PublicKeyView";
import type { RestrictionsRequest } from "./bindings/RestrictionsRequest";
import type { RotationStart } from "./bindings/RotationStart";
import type { Snippet } from "./bindings/Snippet";
import type { SnippetKind } from "./bindings/SnippetKind";

/** The keys as last fetched (instant, also offline). */
export const listPublicKeys = (orgId: string, maxKeyAgeDays: number | null): Promise<PublicKeyView[]> =>
  commands.listPublicKeys(orgId, maxKeyAgeDays);
/** Asks Vapi for the org's keys, then lists them. */
export const refreshPublicKeys = (orgId: string, maxKeyAgeDays: number | null): Promise<PublicKeyView[]> =>
  commands.refreshPublicKeys(orgId, maxKeyAgeDays);
export const createPublicKey = (orgId: string, name: string, restrictions: RestrictionsRequest): Promise<PublicKeyView> =>
  commands.createPublicKey(orgId, name, restrictions);
export const updatePublicKey = (
  orgId: string,
  keyId: string,
  name: string | null,
  restrictions: RestrictionsRequest,
): Promise<PublicKeyView> => commands.updatePublicKey(orgId, keyId, name, restrictions);
/** `confirmInUse`: the user accepted that turning off the last working key stops the site. */
export const setPublicKeyEnabled = (
  orgId: string,
  keyId: string,
  enabled: boolean,
  confirmInUse: boolean,
): Promise<PublicKeyView> => commands.setPublicKeyEnabled(orgId, keyId, enabled, confirmInUse);
/** `confirmInUse`: the user accepted deleting a key that is still switched on. */
export const deletePublicKey = (orgId: string, keyId: string, confirmInUse: boolean): Promise<void> =>
  commands.deletePublicKey(orgId, keyId, confirmInUse);
export const startKeyRotation = (orgId: string, keyId: string): Promise<RotationStart> =>
  commands.startKeyRotation(orgId, keyId);
export const finishKeyRotation = (orgId: string, oldKeyId: string, newKeyId: string): Promise<PublicKeyView> =>
  commands.finishKeyRotation(orgId, oldKeyId, newKeyId);
export const auditKeys = (maxKeyAgeDays: number | null): Promise<KeyAuditReport> => commands.auditKeys(maxKeyAgeDays);
/** Applied only if a fresh audit of the key still offers exactly this fix. */
export const applyKeyFix = (orgId: string, keyId: string, fix: Fix, maxKeyAgeDays: number | null): Promise<FixOutcome> =>
  commands.applyKeyFix(orgId, keyId, fix, maxKeyAgeDays);
/** Judges one typed origin next to the ones already listed. */
export const checkOrigin = (text: string, listed: string[]): Promise<OriginCheck> => commands.checkOrigin(text, listed);
export const generateSnippet = (
  orgId: string,
  keyId: string,
  assistantId: string,
  kind: SnippetKind,
  siteOrigin: string | null,
): Promise<Snippet> => commands.generateSnippet(orgId, keyId, assistantId, kind, siteOrigin, null);
/** A short-lived PUBLIC token with the key's websites, for one assistant (signed in the back end). */
export const mintTestJwt = (orgId: string, keyId: string, assistantId: string, ttlSecs: number | null): Promise<MintedJwt> =>
  commands.mintTestJwt(orgId, keyId, assistantId, ttlSecs);
export type {
  Fix,
  FixOutcome,
  KeyAuditReport,
  MintedJwt,
  OriginCheck,
  PublicKeyView,
  RestrictionsRequest,
  RotationStart,
  Snippet,
  SnippetKind,
};

// --- sync and calls ---
// Call sync runs in the background: `startSync` returns at once and progress arrives as events
// (one per org and page, then one when the run ends). The calls view reads the local cache,
// a page at a time (keyset paging: pass the previous page's `next` as `after`).
import type { CallDetail } from "./bindings/CallDetail";
import type { CallMessage } from "./bindings/CallMessage";
import type { CallRow } from "./bindings/CallRow";
import type { CallSearch } from "./bindings/CallSearch";
import type { CallsMonths } from "./bindings/CallsMonths";
import type { CallsPage } from "./bindings/CallsPage";
import type { CallsQuery } from "./bindings/CallsQuery";
import type { OrgCallStats } from "./bindings/OrgCallStats";
import type { OrgSyncStatus } from "./bindings/OrgSyncStatus";
import type { SearchHit } from "./bindings/SearchHit";
import type { SearchPage } from "./bindings/SearchPage";
import type { SnippetPart } from "./bindings/SnippetPart";
import type { SyncFinished } from "./bindings/SyncFinished";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { SyncStarted } from "./bindings/SyncStarted";
import type { ArchiveLocation } from "./bindings/ArchiveLocation";
import type { ArchiveMove } from "./bindings/ArchiveMove";
import type { ArchiveReport } from "./bindings/ArchiveReport";
import type { AtRiskCall } from "./bindings/AtRiskCall";
import type { DisputeKit } from "./bindings/DisputeKit";
import type { Reconciliation } from "./bindings/Reconciliation";

/** Syncs one org (`orgId`) or every client org (null). Orgs already syncing are left to their run. */
export const startSync = (orgId: string | null): Promise<SyncStarted> => commands.startSync(orgId);
/** Stops the runs syncing `orgId` (null: every run) after their current page; resolves to how many. */
export const cancelSync = (orgId: string | null): Promise<number> => commands.cancelSync(orgId);
/** Every org's last sync and, while one runs, its latest progress. */
export const syncStatus = (): Promise<OrgSyncStatus[]> => commands.syncStatus();
export const listCalls = (query: CallsQuery): Promise<CallsPage> => commands.listCalls(query);
/** How many cached calls match the query's filters. */
export const countCalls = (query: CallsQuery): Promise<number> => commands.countCalls(query);
/** Per org: cached calls, exact cost sum, newest update (null: every org). */
export const callsStats = (orgId: string | null): Promise<OrgCallStats[]> => commands.callsStats(orgId);
/** This month's and last month's calls and cost (UTC months) of one org. */
export const callsMonths = (orgId: string): Promise<CallsMonths> => commands.callsMonths(orgId);
/** Vapi's daily call count and cost over the period against the cache's. */
export const reconcileCalls = (clientId: string, period: Period): Promise<Reconciliation> =>
  commands.reconcileCalls(clientId, period);
/** Re-reads whole days (`YYYY-MM-DD`, UTC) of the org's calls from Vapi; resolves to the calls read. */
export const resyncDays = (clientId: string, days: string[]): Promise<number> => commands.resyncDays(clientId, days);
/** One cached call in full (any client's); the customer's number masked unless `reveal`. */
export const callDetail = (callId: string, reveal: boolean): Promise<CallDetail> => commands.callDetail(callId, reveal);
/** A page of every client's calls whose transcript or summary matches, newest first. */
export const searchCalls = (search: CallSearch): Promise<SearchPage> => commands.searchCalls(search);

// recordings: archived on this computer, played through the back end (the page names a call,
// never holds a key), and dispute kits saved where the owner chose in a native dialog
/** Fetches the recordings of one client's cached calls (null: every client) into the archive. */
export const archiveRecordings = (orgId: string | null): Promise<ArchiveReport> => commands.archiveRecordings(orgId);
/** Calls whose recordings are not archived and that Vapi deletes within `withinDays`. */
export const recordingsAtRisk = (withinDays: number): Promise<AtRiskCall[]> => commands.recordingsAtRisk(withinDays);
export const setArchiveAfterSync = (on: boolean): Promise<AgencySettings> => commands.setArchiveAfterSync(on);
/** null when the save dialog was cancelled. */
export const saveDisputeKit = (callId: string): Promise<DisputeKit | null> => commands.saveDisputeKit(callId);
/** The call's recording as WAV bytes; rejects with code NotFound when the call has none. */
export const recordingAudio = (callId: string): Promise<ArrayBuffer> => commands.recordingAudio(callId);
/** Where the recordings archive is, and how much it holds. */
export const archiveLocation = (): Promise<ArchiveLocation> => commands.archiveLocation();
/** Moves the archive to a folder the owner picks in a native dialog; null when cancelled. */
export const moveArchive = (): Promise<ArchiveMove | null> => commands.moveArchive();

// Event names and payloads come from the generated `Events` table.
const subscribe = <E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<UnlistenFn> =>
  onEvent<Events[E]>(event, handler);

export const onSyncProgress = (handler: (progress: SyncProgress) => void): Promise<UnlistenFn> =>
  subscribe("sync-progress", handler);
export const onSyncFinished = (handler: (finished: SyncFinished) => void): Promise<UnlistenFn> =>
  subscribe("sync-finished", handler);

// --- spend alerts and background sync ---
// Thresholds are validated by the back end (the CLI's rules); notifications are sent by the back
// end too, never by the page. Marks: thresholds crossed this month and still set.
import type { AlertCheck } from "./bindings/AlertCheck";
import type { BackgroundSyncStatus } from "./bindings/BackgroundSyncStatus";
import type { SpendThreshold } from "./bindings/SpendThreshold";
import type { ThresholdKind } from "./bindings/ThresholdKind";

export const spendThresholds = (): Promise<SpendThreshold[]> => commands.spendThresholds();
/** `orgId` null: the whole agency. `value` as typed ("250", "80%"). Resolves to every threshold. */
export const setSpendThreshold = (orgId: string | null, kind: ThresholdKind, value: string): Promise<SpendThreshold[]> =>
  commands.setSpendThreshold(orgId, kind, value);
export const clearSpendThreshold = (orgId: string | null, kind: ThresholdKind): Promise<boolean> =>
  commands.clearSpendThreshold(orgId, kind);
/** This month's check now (new crossings raise a desktop notification from the back end). */
export const checkSpendAlerts = (): Promise<AlertCheck> => commands.checkSpendAlerts();
export const spendAlertMarks = (): Promise<SpendThreshold[]> => commands.spendAlertMarks();
export const setBackgroundSyncMinutes = (minutes: number): Promise<AgencySettings> =>
  commands.setBackgroundSyncMinutes(minutes);
export const backgroundSyncStatus = (): Promise<BackgroundSyncStatus> => commands.backgroundSyncStatus();
export const onSpendAlerts = (handler: (check: AlertCheck) => void): Promise<UnlistenFn> =>
  subscribe("spend-alerts", handler);
export const onBackgroundSync = (handler: (status: BackgroundSyncStatus) => void): Promise<UnlistenFn> =>
  subscribe("background-sync", handler);
export type { AlertCheck, BackgroundSyncStatus, SpendThreshold, ThresholdKind };

// settings: the agency's own (SQLite, shared with the CLI) and where its data is kept
export const getSettings = (): Promise<AgencySettings> => commands.getSettings();
export const updateSettings = (update: SettingsUpdate): Promise<AgencySettings> => commands.updateSettings(update);
/** Resolves to the address as stored (trimmed, no trailing slash). */
export const setClientBaseUrl = (orgId: string, baseUrl: string): Promise<string> =>
  commands.setClientBaseUrl(orgId, baseUrl);
export const getEnvironmentInfo = (): Promise<EnvironmentInfo> => commands.getEnvironmentInfo();
// About and "Copy diagnostics" (never a key, a transcript or a client's name)
export const getAbout = (): Promise<About> => commands.getAbout();
export const getDiagnostics = (): Promise<Diagnostics> => commands.getDiagnostics();
// updates from the feed built into the app (the page never names one); install only on a click
export const checkForUpdates = (): Promise<UpdateCheck> => commands.checkForUpdates();
/** Installs what the last check found (its signature checked first). */
export const installUpdate = (): Promise<UpdateInstalled> => commands.installUpdate();
// the agency's details for invoices; the logo is picked in an open dialog the back end opens
export const getAgencyDetails = (): Promise<AgencyDetailsView> => commands.getAgencyDetails();
export const updateAgencyDetails = (name: string, details: AgencyDetails): Promise<AgencyDetailsView> =>
  commands.updateAgencyDetails(name, details);
/** null when the open dialog was cancelled: nothing changed. */
export const chooseAgencyLogo = (): Promise<AgencyDetailsView | null> => commands.chooseAgencyLogo();
export const removeAgencyLogo = (): Promise<AgencyDetailsView> => commands.removeAgencyLogo();
// the accountants' export options (QuickBooks Online and Xero files)
export const getExportOptions = (): Promise<ExportOptions> => commands.getExportOptions();
export const updateExportOptions = (options: ExportOptions): Promise<ExportOptions> =>
  commands.updateExportOptions(options);
// backups (a backup is named by its id from the list, never by a path)
export const listBackups = (): Promise<BackupInfo[]> => commands.listBackups();
export const createBackup = (): Promise<BackupInfo> => commands.createBackup();
export const restoreBackup = (backupId: string): Promise<RestoreReport> => commands.restoreBackup(backupId);
export const rebuildCallCache = (): Promise<CacheRebuild> => commands.rebuildCallCache();
export type { BackupInfo };

export type {
  ArchiveLocation,
  ArchiveMove,
  ArchiveReport,
  AtRiskCall,
  CallDetail,
  CallMessage,
  CallRow,
  CallSearch,
  CallsMonths,
  CallsPage,
  CallsQuery,
  OrgCallStats,
  OrgSyncStatus,
  Reconciliation,
  SearchHit,
  SearchPage,
  SnippetPart,
  SyncFinished,
  SyncProgress,
  SyncStarted,
};

// --- site check: Vapi keys found on a client's site (keys only as fingerprints) ---
import type { SiteUrls } from "./bindings/SiteUrls";
import type { SiteScanReport } from "./bindings/SiteScanReport";
import type { ExposureFinding } from "./bindings/ExposureFinding";
import type { ExposureSeverity } from "./bindings/ExposureSeverity";

/** The client's site URLs: stored ones, or (`fromKeys`) the origins its public keys allow. */
export const getSiteUrls = (orgId: string): Promise<SiteUrls> => commands.getSiteUrls(orgId);
/** Adds a page address (validated and normalised by the back end). */
export const addSiteUrl = (orgId: string, url: string): Promise<SiteUrls> => commands.addSiteUrl(orgId, url);
export const removeSiteUrl = (orgId: string, url: string): Promise<SiteUrls> => commands.removeSiteUrl(orgId, url);
/** Fetches the client's pages and their same-site scripts (bounded, keyless) and classifies every key found. */
export const scanClientSites = (orgId: string): Promise<SiteScanReport> => commands.scanClientSites(orgId);
export const lastSiteScan = (orgId: string): Promise<SiteScanReport | null> => commands.lastSiteScan(orgId);

export type { ExposureFinding, ExposureSeverity, SiteScanReport, SiteUrls };
