export * from './stix';
