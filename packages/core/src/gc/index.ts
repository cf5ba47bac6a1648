// gc/: the scan-all decision table of reference §3.8 B as pure functions, a reclaim pass over a Store, the
// trace path of §3.8 A, and the loop that runs both with counters.
export type { GcContext, GcDecision, GcRecord } from './decision.ts';
export { decideRecord } from './decision.ts';
export type { EndpointReclaimOutcome } from './endpointReclaim.ts';
export { reclaimEndpoint } from './endpointReclaim.ts';
export type { GcCounters } from './gcCounters.ts';
export { countScan, countTrace, createGcCounters } from './gcCounters.ts';
export type { GcLoopHandle, GcLoopOptions } from './gcLoop.ts';
export { runGcLoop } from './gcLoop.ts';
export type { GcOutcome, GcPassOptions, GcReport, GcReportEntry } from './gcPass.ts';
export { runGcPass } from './gcPass.ts';
export type { StaticOwnerKind } from './podFacts.ts';
export { graceEnd, nodeAllowsStatelessGc, podPhase, staticOwnerKind } from './podFacts.ts';
export type { GcReason } from './reasons.ts';
export { gcReasonMessage } from './reasons.ts';
export type { OwnedRecord, ReleaseOutcome, ReleaseRecordsOptions } from './releaseRecords.ts';
export { releaseRecordsIfOwned } from './releaseRecords.ts';
export type { GcSettings } from './settings.ts';
export { DEFAULT_GC_SETTINGS } from './settings.ts';
export type { GcSnapshot } from './snapshot.ts';
export { isNodeReady, loadGcSnapshot } from './snapshot.ts';
export type { TraceEntry, TraceReason } from './traceEntry.ts';
export { DEFAULT_TERMINATION_GRACE_SECONDS, lastFinishedAt, traceEntryFor } from './traceEntry.ts';
export type { TraceReleaseOutcome } from './traceRelease.ts';
export { releaseTracedPod } from './traceRelease.ts';
