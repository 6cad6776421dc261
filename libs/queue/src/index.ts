export * from './jobs';
export * from './incident-queue.producer';
export * from './queue.module';
