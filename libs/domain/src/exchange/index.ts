export * from './stix';
export * from './imported';
