import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '@corridor/config';
import {
  alertIncidentOf,
  canSee,
  correlates,
  indicatorDigest,
  planIncident,
  retractedAliasPairs,
  retractionNotification,
  retractionViewFor,
  strictestTlp,
  withdrawAlert,
  withoutIndicator,
  withdrawnCorrelations,
  withdrawnWatchHits,
  type Alert,
  type Correlation,
  type Incident,
  type IncidentIndicator,
  type Retraction,
  type SharingContext,
} from '@corridor/domain';
import {
  AlertsRepository,
  CorrelationIndex,
  CorrelationsRepository,
  DocumentLocks,
  IncidentDeadlinesRepository,
  IncidentVisibility,
  IncidentsRepository,
  MailMessagesRepository,
  Principals,
  RetractionsRepository,
  SharingDirectory,
  WatchHitsRepository,
  WebhookDeliveriesRepository,
  type StoredAlert,
} from '@corridor/persistence';
import { JobProducer } from '@corridor/queue';
import {
  RealtimePublisher,
  incidentReaders,
  ledgerMember,
  planAlertChanged,
  planRetracted,
  type PrincipalDirectory,
  type Reader,
} from '@corridor/realtime';
import { AlertingService } from '../alerting/alerting.service';
import { MailDispatcher } from '../mail/mail-dispatcher.service';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

/** A retraction's incident is still being processed: the job is retried once processing is done. */
export class IncidentStillProcessing extends Error {}

/**
 * Carries out one retraction: withdraws what was derived from the retracted incident or indicator,
 * tells everyone who was told of it, then removes it. Each step is idempotent and the incident is
 * removed last, so a job that dies half-way is retried from the start and ends the same:
 *
 * 1. waits until the incident's processing is finished (what processing indexes, step 2 removes);
 * 2. takes its indicators out of the correlation index: nothing new matches them;
 * 3. finds the correlations it withdraws and every alert raised on the incident or by them; each
 *    alert is withdrawn under its lock (leaves the inbox, `alert.changed withdrawn`) and its pending
 *    escalation step cancelled (a step already running re-checks the state and pages nobody);
 * 4. tells the ledger — every reader told of the incident live or by export, plus whoever may see it
 *    now — `incident.retracted` / `indicator.retracted` (once, by its key), each worded for them; the
 *    webhook endpoints and e-mail addresses that were sent one of the withdrawn alerts, the same; and
 *    raises the `retraction` rules of the organizations told;
 * 5. removes the deadlines (their reminders then find nothing), the correlations, and the incident
 *    (or the indicator), and marks the retraction done with the ids it withdrew.
 */
@Injectable()
export class RetractionService {
  constructor(
    private readonly retractions: RetractionsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly correlations: CorrelationsRepository,
    private readonly alerts: AlertsRepository,
    private readonly index: CorrelationIndex,
    private readonly deadlines: IncidentDeadlinesRepository,
    private readonly watchHits: WatchHitsRepository,
    private readonly visibility: IncidentVisibility,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly mailMessages: MailMessagesRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly locks: DocumentLocks,
    private readonly publisher: RealtimePublisher,
    private readonly jobs: JobProducer,
    private readonly webhooks: WebhookDispatcher,
    private readonly mail: MailDispatcher,
    private readonly alerting: AlertingService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Rejects with `IncidentStillProcessing` while the incident is being processed (the job retries). */
  async run(retractionId: string): Promise<void> {
    const retraction = await this.retractions.findById(retractionId);
    if (!retraction || retraction.state === 'done') return;
    const incident = await this.incidents.findById(retraction.incidentId);
    if (!incident) {
      // Removed by an earlier run after everything else was done: only the mark is missing.
      await this.retractions.saveProgress(retraction.id, { ...retraction, doneAt: new Date() });
      return;
    }
    if (incident.state === 'pending' || incident.state === 'enriched') {
      throw new IncidentStillProcessing(`incident ${incident.id} is still being processed`);
    }
    const indicator = retraction.indicator
      ? incident.indicators.find(
          (i) => i.type === retraction.indicator?.type && indicatorDigest(i) === retraction.indicator.digest,
        )
      : undefined;

    const removed = retraction.scope === 'incident' ? incident.indicators : indicator ? [indicator] : [];
    await this.index.removeEntries(
      { incidentId: incident.id, orgId: incident.orgId },
      planIncident(removed.filter(correlates)),
    );
    await this.index.removeAliases(retractedAliasPairs(incident.indicators.filter(correlates), retraction));

    const correlations = withdrawnCorrelations(retraction, await this.correlations.findAllForIncident(incident.id));
    const hits = withdrawnWatchHits(retraction, await this.watchHits.findForIncident(incident.id));
    const [sharing, principals] = await Promise.all([this.sharing.context(), this.principals.of(incident)]);
    const sources = [...correlations.map((c) => `correlation:${c.id}`), ...hits.map((h) => `watch-hit:${h.id}`)];
    const alerts = await this.withdrawAlerts(retraction, incident, sources, sharing, principals);

    const told = await this.tell(retraction, incident, indicator, { correlations, alerts }, sharing, principals);

    if (retraction.scope === 'incident') await this.deadlines.remove(incident.id);
    await this.correlations.removeMany(correlations.map((c) => c.id));
    await this.watchHits.removeMany(hits.map((h) => h.id));
    const withdrawn = { correlationIds: correlations.map((c) => c.id), alertIds: alerts.map((a) => a.id) };
    if (retraction.scope === 'incident') {
      await this.retractions.saveProgress(retraction.id, { withdrawn, told });
      await this.incidents.remove(incident.id);
      await this.visibility.forget(incident.id);
    } else {
      await this.incidents.removeIndicator(incident.id, (current) => withoutIndicator(current, retraction));
    }
    // Sockets that joined the incident re-check it (a removed one is left).
    await this.publisher.control({ type: 'revalidate', incidentId: incident.id });
    await this.retractions.saveProgress(retraction.id, { withdrawn, told, doneAt: new Date() });
    this.logger.info(
      {
        retractionId: retraction.id,
        incidentId: incident.id,
        scope: retraction.scope,
        correlations: withdrawn.correlationIds.length,
        alerts: withdrawn.alertIds.length,
        readers: told.readers.length,
        webhooks: told.webhookEndpointIds.length,
        emails: told.emails,
      },
      'retraction carried out',
    );
  }

  /**
   * Withdraws the alerts the retraction takes away — raised on the incident (incident scope) or by
   * one of `sourceIds` (its withdrawn correlations and watch hits) — and returns all of them
   * (withdrawn now or before).
   */
  private async withdrawAlerts(
    retraction: Retraction,
    incident: Incident,
    sourceIds: readonly string[],
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<StoredAlert[]> {
    const sources = new Set(sourceIds);
    const about = await this.alerts.findAbout(incident.id, sourceIds);
    const alerts = about.filter(
      (alert) =>
        // Alerts of retractions tell of the retraction itself: they stay.
        alert.source.kind !== 'retraction' && (retraction.scope === 'incident' || sources.has(alert.source.id)),
    );
    for (const alert of alerts) {
      const withdrawn = await this.locks.withLock('alerts', alert.id, async () => {
        const current = await this.alerts.findById(alert.id);
        if (!current) return undefined;
        const outcome = withdrawAlert(current);
        if (!outcome.changed) return undefined;
        const next = { ...current, ...outcome.alert };
        await this.alerts.save(next);
        return next;
      });
      if (alert.escalation) {
        await this.jobs.cancel('escalate-alert', { alertId: alert.id, step: alert.escalation.step });
      }
      if (withdrawn) await this.publisher.publish(planAlertChanged(withdrawn, 'withdrawn', sharing, principals));
    }
    return alerts;
  }

  private async tell(
    retraction: Retraction,
    incident: Incident,
    indicator: IncidentIndicator | undefined,
    withdrawn: { correlations: readonly Correlation[]; alerts: readonly Alert[] },
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<Retraction['told']> {
    const shown = indicator ? { type: indicator.type, value: indicator.value } : undefined;
    const ledger = await this.publisher.log.told(incident.id);
    const readers: Reader[] = [...ledger.readers, ...incidentReaders(incident, sharing, principals)];
    const plan = planRetracted(retraction, incident, readers, withdrawn, sharing, shown, ledger.knew);
    await this.publisher.publish(plan, { onceKey: retraction.id });

    // E-mail and webhooks: who was sent one of the withdrawn alerts, told in the same words.
    const alertIds = withdrawn.alerts.map((a) => a.id);
    const [endpoints, recipients] = await Promise.all([
      this.deliveries.endpointsToldOf(alertIds),
      this.mailMessages.recipientsToldOf(alertIds),
    ]);
    const orgIds = new Set([...endpoints.map((e) => e.orgId), ...recipients.map((r) => r.orgId)]);
    for (const orgId of orgIds) {
      const view = retractionViewFor(
        retraction,
        {
          orgId,
          seesIncident: canSee(sharing.organizationViewer(orgId), incident) || ledger.knew.has(`o:${orgId}`),
        },
        withdrawn,
        shown,
      );
      const ownTlp = strictestTlp(withdrawn.alerts.filter((a) => a.orgId === orgId).map((a) => a.incident.tlp));
      const notification = retractionNotification(retraction, orgId, view, ownTlp);
      const endpointIds = endpoints.filter((e) => e.orgId === orgId).map((e) => e.endpointId);
      if (endpointIds.length > 0) await this.webhooks.dispatch(notification, { endpointIds, anyType: true });
      await this.mail.dispatch(
        notification,
        recipients
          .filter((r) => r.orgId === orgId)
          .map((r) => ({ address: r.address, language: r.language, maxTlp: r.maxTlp })),
      );
    }

    // The `retraction` rules of the organizations told (the submitter retracted it itself).
    const toldOrgs = new Set([...plan.deliveries.map((d) => d.reader.orgId), ...orgIds]);
    toldOrgs.delete(retraction.orgId);
    if (toldOrgs.size > 0) {
      await this.alerting.raise(
        [
          {
            kind: 'retraction',
            id: `retraction:${retraction.id}`,
            orgIds: [...toldOrgs],
            incident: alertIncidentOf(incident),
            scope: retraction.scope,
          },
        ],
        sharing,
        principals,
      );
    }
    return {
      readers: plan.deliveries.map((d) => ledgerMember(d.reader)),
      webhookEndpointIds: endpoints.map((e) => e.endpointId),
      emails: recipients.length,
    };
  }
}
