// @spiderpool-ts/core: each area keeps an explicit barrel; this file only joins them.

export * from './api/index.ts';
export * from './controllers/index.ts';
export * from './election/index.ts';
export * from './gc/index.ts';
export * from './ip/index.ts';
export * from './ipam/index.ts';
export * from './multus/index.ts';
export * from './store/index.ts';
export * from './webhook/index.ts';
