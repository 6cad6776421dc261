export * from './processes';
export * from './clients';
export * from './incident.factory';
export * from './private-stores';
export * from './deployment';
export * from './people';
export * from './browser';
export * from './mail-sink';
