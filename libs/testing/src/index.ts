export * from './processes';
export * from './clients';
export * from './incident.factory';
