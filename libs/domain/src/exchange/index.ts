export * from './stix';
export * from './imported';
export * from './stix-validate';
export * from './stix-pattern';
export * from './stix-import';
