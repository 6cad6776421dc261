export * from './deadline-profile';
