// Placeholder barrel: the allocators land with the "packages/wasm-bitmap" issue.
import { decodeBase64 } from './base64.ts';
import { wasmBase64 } from './generated/wasmBytes.generated.ts';

export const wasmByteLength = (): number => decodeBase64(wasmBase64).length;
