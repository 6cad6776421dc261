export * from './incident-intake';
export * from './import-upsert';
export * from './intake.module';
