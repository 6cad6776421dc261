export * from './deadline-profile';
export * from './deadline-state';
export * from './deadline-notification';
