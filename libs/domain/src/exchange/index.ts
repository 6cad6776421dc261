export * from './stix';
export * from './imported';
export * from './misp-schema';
export * from './misp-audience';
export * from './misp';
