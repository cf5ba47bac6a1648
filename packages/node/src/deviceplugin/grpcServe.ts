// Small helpers around @grpc/grpc-js for unix-socket servers: bind with a stale-socket cleanup, shut down
// and remove the file, and turn a DevicePluginError into a gRPC status.
import { rm } from 'node:fs/promises';
import { Metadata, Server, ServerCredentials, type ServerErrorResponse, status } from '@grpc/grpc-js';
import { ResultAsync } from 'neverthrow';
import { causeOf, type DevicePluginError, listenFailed } from './errors.ts';

/** Binds `server` to a unix socket (an existing file there is removed first: a dead server's socket). */
export const bindUnix = (server: Server, socketPath: string): ResultAsync<void, DevicePluginError> =>
  ResultAsync.fromPromise(
    (async () => {
      await rm(socketPath, { force: true });
      await new Promise<void>((resolve, reject) => {
        server.bindAsync(`unix://${socketPath}`, ServerCredentials.createInsecure(), (e) =>
          e ? reject(e) : resolve(),
        );
      });
    })(),
    (e) => listenFailed(socketPath, causeOf(e)),
  );

/** Stops at once (open streams end with CANCELLED on the client) and removes the socket file. */
export const shutdownUnix = async (server: Server, socketPath: string): Promise<void> => {
  server.forceShutdown();
  await rm(socketPath, { force: true }).catch(() => undefined);
};

const CODES: Record<DevicePluginError['_tag'], status> = {
  ConfigUnreadable: status.FAILED_PRECONDITION,
  ConfigInvalid: status.FAILED_PRECONDITION,
  ListenFailed: status.UNAVAILABLE,
  RegistrationFailed: status.UNAVAILABLE,
  UnknownDevice: status.NOT_FOUND,
  BadRequest: status.INVALID_ARGUMENT,
  DeviceInfoWriteFailed: status.INTERNAL,
  SysfsUnavailable: status.UNAVAILABLE,
};

/** The gRPC error for a tagged error; the tag travels in the `x-error-tag` trailer. */
export const grpcError = (e: DevicePluginError): ServerErrorResponse => {
  const metadata = new Metadata();
  metadata.set('x-error-tag', e._tag);
  return Object.assign(new Error(e.message), { code: CODES[e._tag], details: e.message, metadata });
};

export { Server };
