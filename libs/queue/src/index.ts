export * from './jobs';
export * from './job.producer';
export * from './job-handler';
export * from './queue.module';
