export * from './stix';
export * from './imported';
export * from './misp-audience';
export * from './misp-schema';
export * from './misp';
export * from './stix-validate';
export * from './stix-pattern';
export * from './stix-import';
