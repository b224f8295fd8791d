/** The store's types, by concern (see `types/`). */
export type * from './types/config.ts';
export type * from './types/logs.ts';
export type * from './types/queue.ts';
export type * from './types/records.ts';
export type * from './types/requests.ts';
export type * from './types/store.ts';
export type * from './types/writes.ts';
