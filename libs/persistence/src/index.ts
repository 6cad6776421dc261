export * from './tokens';
export * from './persistence.module';
export * from './mongo/connection';
export * from './mongo/mappers';
export * from './mongo/organizations.repository';
export * from './mongo/incidents.repository';
export * from './mongo/correlations.repository';
export * from './redis/correlation-index';
