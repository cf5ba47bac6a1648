// @spiderpool-ts/node: each area keeps an explicit barrel; this file only joins them.
export * from './agent/index.ts';
export * from './chain/index.ts';
export * from './cni/index.ts';
export * from './iproute/index.ts';
export * from './plumbing/index.ts';
export * from './sriov/index.ts';
