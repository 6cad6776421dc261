export * from './indicator-type';
export * from './refang';
export * from './defang';
export * from './normalize';
export * from './extract';
export * from './enrich';
export * from './warnings';
