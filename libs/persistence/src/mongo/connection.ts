import mongoose, { type Connection, type Model } from 'mongoose';
import { apiKeySchema, correlationSchema, incidentSchema, organizationSchema } from './schemas';

export interface Models {
  organizations: Model<Record<string, unknown>>;
  apiKeys: Model<Record<string, unknown>>;
  incidents: Model<Record<string, unknown>>;
  correlations: Model<Record<string, unknown>>;
}

export function modelsOf(connection: Connection): Models {
  const model = (name: string, schema: mongoose.Schema) =>
    (connection.models[name] ?? connection.model(name, schema)) as Model<Record<string, unknown>>;
  return {
    organizations: model('Organization', organizationSchema),
    apiKeys: model('ApiKey', apiKeySchema),
    incidents: model('Incident', incidentSchema),
    correlations: model('Correlation', correlationSchema),
  };
}

/**
 * Connects without command buffering, so an unreachable store fails a request quickly (mapped to
 * 503) instead of queueing it, and creates the indexes before anything is written: idempotency
 * depends on the unique ones being there.
 */
export async function connectMongo(uri: string, timeoutMs: number): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  await connection.asPromise();
  const { organizations, apiKeys, incidents, correlations } = modelsOf(connection);
  for (const model of [organizations, apiKeys, incidents, correlations]) {
    await model.createCollection().catch((error: unknown) => {
      // Already there (code 48): fine.
      if ((error as { code?: unknown }).code !== 48) throw error;
    });
    await model.createIndexes();
  }
  return connection;
}
