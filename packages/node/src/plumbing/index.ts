// Moving an interface (VF or stand-in) into a Pod netns with rollback, and back out idempotently.
export type { AttachOptions, AttachRecord } from './attach.ts';
export { attachInterface, fromIpamResult } from './attach.ts';
export type { ConfigLine, OriginalLink, PodConfig } from './configLines.ts';
export { podConfigLines, undoLines } from './configLines.ts';
export type { DetachOptions, DetachOutcome } from './detach.ts';
export { detachInterface } from './detach.ts';
export type { AttachStep, DetachStep, PlumbingError, PlumbingErrorTag } from './errors.ts';
export type { IpLink } from './ipLink.ts';
export { listLinks, showLink, toIpLink } from './ipLink.ts';
