// Test double side of kubelet's device manager: a gRPC client for one registered device plugin endpoint
// (ListAndWatch stream, GetPreferredAllocation, Allocate, PreStartContainer), each unary call with a deadline.
import { Client, type ClientReadableStream, credentials, type ServiceError } from '@grpc/grpc-js';
import type { Result } from 'neverthrow';
import { ResultAsync } from 'neverthrow';
import {
  type AllocateRequest,
  type AllocateResponse,
  type DevicePluginOptions,
  decodeAllocateResponse,
  decodeDevicePluginOptions,
  decodeListAndWatchResponse,
  decodePreferredAllocationResponse,
  type ListAndWatchResponse,
  type PreferredAllocationRequest,
  type PreferredAllocationResponse,
  type ShapeError,
} from '../deviceplugin/messages.ts';
import { deviceProto, method } from '../deviceplugin/proto.ts';
import { type KubeletError, pluginCallFailed } from './kubeletErrors.ts';

export interface PluginClient {
  readonly socketPath: string;
  /** Opens ListAndWatch; `onList` gets every decoded list, `onEnd` once when the stream ends or fails. */
  listAndWatch(onList: (r: ListAndWatchResponse) => void, onEnd: (cause: string) => void): () => void;
  /** GetDevicePluginOptions (a no-op on the plugin side: the cheapest round trip). */
  options(): ResultAsync<DevicePluginOptions, KubeletError>;
  getPreferredAllocation(
    req: PreferredAllocationRequest,
  ): ResultAsync<PreferredAllocationResponse, KubeletError>;
  allocate(req: AllocateRequest): ResultAsync<AllocateResponse, KubeletError>;
  close(): void;
}

export const connectPlugin = (socketPath: string, timeoutMs: number): PluginClient => {
  const svc = deviceProto().devicePlugin;
  const client = new Client(`unix://${socketPath}`, credentials.createInsecure());
  const unary = <T>(
    name: string,
    arg: object,
    decode: (m: unknown) => Result<T, ShapeError>,
  ): ResultAsync<T, KubeletError> => {
    const m = method(svc, name);
    return ResultAsync.fromPromise(
      new Promise<unknown>((resolve, reject) => {
        client.makeUnaryRequest(
          m.path,
          m.requestSerialize,
          m.responseDeserialize,
          arg,
          { deadline: Date.now() + timeoutMs },
          (e: ServiceError | null, v?: object) => (e ? reject(e) : resolve(v)),
        );
      }),
      (e) => pluginCallFailed(socketPath, name, e),
    ).andThen((v) => decode(v).mapErr((s) => pluginCallFailed(socketPath, name, new Error(s.message))));
  };
  return {
    socketPath,
    listAndWatch: (onList, onEnd) => {
      const m = method(svc, 'ListAndWatch');
      const stream: ClientReadableStream<unknown> = client.makeServerStreamRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        {},
      );
      let ended = false;
      const end = (cause: string) => {
        if (ended) return;
        ended = true;
        onEnd(cause);
      };
      stream.on('data', (d: unknown) => {
        const r = decodeListAndWatchResponse(d);
        if (r.isOk()) onList(r.value);
        else end(`bad ListAndWatch message: ${r.error.message}`);
      });
      stream.on('error', (e: Error) => end(e.message));
      stream.on('end', () => end('stream ended'));
      return () => stream.cancel();
    },
    options: () => unary('GetDevicePluginOptions', {}, decodeDevicePluginOptions),
    getPreferredAllocation: (req) => unary('GetPreferredAllocation', req, decodePreferredAllocationResponse),
    allocate: (req) => unary('Allocate', req, decodeAllocateResponse),
    close: () => client.close(),
  };
};
