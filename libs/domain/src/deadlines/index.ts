export * from './deadline-profile';
export * from './deadline-state';
