import { Module } from '@nestjs/common';
import { ImportUpsert } from './import-upsert';
import { IncidentIntake } from './incident-intake';

/**
 * The incident writes the api and the worker share; needs the persistence, queue and realtime
 * publisher modules (global) of the app that imports it.
 */
@Module({ providers: [IncidentIntake, ImportUpsert], exports: [IncidentIntake, ImportUpsert] })
export class IntakeModule {}
