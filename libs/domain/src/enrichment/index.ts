export * from './provider';
export * from './retry-after';
export * from './json-mapping';
export * from './circuit-breaker';
export * from './history';
