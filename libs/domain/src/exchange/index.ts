export * from './stix';
export * from './imported';
export * from './taxii';
