// Registration.Register with kubelet over its unix socket, with a deadline; one short-lived connection
// per call (as the peer does).
import { Client, credentials, type ServiceError } from '@grpc/grpc-js';
import { ResultAsync } from 'neverthrow';
import { type DevicePluginError, registrationFailed } from './errors.ts';
import type { RegisterRequest } from './messages.ts';
import { deviceProto, method } from './proto.ts';

export interface RegisterOptions {
  kubeletSocket: string;
  request: RegisterRequest;
  timeoutMs: number;
}

export const registerWithKubelet = (opts: RegisterOptions): ResultAsync<void, DevicePluginError> => {
  const m = method(deviceProto().registration, 'Register');
  const fail = (cause: string) => registrationFailed(opts.kubeletSocket, opts.request.resource_name, cause);
  return ResultAsync.fromPromise(
    new Promise<void>((resolve, reject) => {
      const client = new Client(`unix://${opts.kubeletSocket}`, credentials.createInsecure());
      client.makeUnaryRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        opts.request,
        { deadline: Date.now() + opts.timeoutMs },
        (e: ServiceError | null) => {
          client.close();
          if (e) reject(e);
          else resolve();
        },
      );
    }),
    (e) => fail(e instanceof Error ? e.message : String(e)),
  );
};
