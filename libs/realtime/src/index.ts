export * from './events';
export * from './delivery-plan';
export * from './plans';
export * from './event-log';
export * from './realtime.publisher';
export * from './realtime-publisher.module';
