// Errors of moving an interface into / out of a Pod netns. Tagged union; `message` derived from fields.
import type { IprouteError } from '../iproute/index.ts';

export type AttachStep = 'inspect' | 'altnames' | 'move' | 'prepare' | 'configure';
export type DetachStep = 'inspect' | 'configure' | 'move' | 'restore';

export type PlumbingError =
  | { _tag: 'BadInput'; field: string; value: string; detail: string; message: string }
  | { _tag: 'InterfaceNotFound'; netns: string; ifName: string; message: string }
  | { _tag: 'NameTaken'; netns: string; ifName: string; message: string }
  | {
      _tag: 'AttachFailed';
      step: AttachStep;
      cause: IprouteError;
      /** Undo steps that failed too (empty: the host is as it was). */
      rollbackErrors: IprouteError[];
      message: string;
    }
  | { _tag: 'DetachFailed'; step: DetachStep; cause: IprouteError; message: string };

export type PlumbingErrorTag = PlumbingError['_tag'];

const where = (netns: string | undefined): string => netns ?? '(own netns)';

export const badInput = (field: string, value: string, detail: string): PlumbingError => ({
  _tag: 'BadInput',
  field,
  value,
  detail,
  message: `invalid ${field}=${JSON.stringify(value)}: ${detail}`,
});

export const interfaceNotFound = (netns: string | undefined, ifName: string): PlumbingError => ({
  _tag: 'InterfaceNotFound',
  netns: where(netns),
  ifName,
  message: `interface ${ifName} not found in netns ${where(netns)}`,
});

export const nameTaken = (netns: string, ifName: string): PlumbingError => ({
  _tag: 'NameTaken',
  netns,
  ifName,
  message: `netns ${netns} already has an interface (or altname) ${ifName}`,
});

export const attachFailed = (
  step: AttachStep,
  cause: IprouteError,
  rollbackErrors: IprouteError[],
): PlumbingError => ({
  _tag: 'AttachFailed',
  step,
  cause,
  rollbackErrors,
  message:
    `attach failed at ${step}: ${cause.message}; ` +
    (rollbackErrors.length === 0
      ? 'rolled back'
      : `rollback incomplete: ${rollbackErrors.map((e) => e.message).join('; ')}`),
});

export const detachFailed = (step: DetachStep, cause: IprouteError): PlumbingError => ({
  _tag: 'DetachFailed',
  step,
  cause,
  message: `detach failed at ${step}: ${cause.message}`,
});
