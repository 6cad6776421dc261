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
  type MailRecipient,
  type Notification,
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
  TaxiiPublisher,
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
  type DeliveryPlan,
  type PrincipalDirectory,
  type Reader,
} from '@corridor/realtime';
import { AlertingService } from '../alerting/alerting.service';
import { MailDispatcher } from '../mail/mail-dispatcher.service';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

/**
 * What a retraction tells, worded before the incident is removed and sent after: kept with the
 * retraction until it is done, so a job that dies between the two sends it on its next run.
 */
export interface RetractionOutbox {
  plan: DeliveryPlan<'incident.retracted' | 'indicator.retracted'>;
  webhooks: Array<{ notification: Notification; endpointIds: string[] }>;
  mails: Array<{ notification: Notification; recipients: MailRecipient[] }>;
}

const PROCESSING_POLL_MS = 500;
const PROCESSING_WAIT_MS = 30_000;

/** A retraction's incident is still being processed: the job is retried once processing is done. */
export class IncidentStillProcessing extends Error {}

/**
 * Carries out one retraction: withdraws what was derived from the retracted incident or indicator,
 * tells everyone who was told of it, then removes it. Each step is idempotent and the incident is
 * removed last, so a job that dies half-way is retried from the start and ends the same:
 *
 * 1. waits until the incident's processing is finished (what processing indexes, step 2 removes;
 *    see `processedIncident`);
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
    private readonly taxii: TaxiiPublisher,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Rejects with `IncidentStillProcessing` while the incident is being processed (the job retries). */
  async run(retractionId: string): Promise<void> {
    const retraction = await this.retractions.findById(retractionId);
    if (!retraction || retraction.state === 'done') return;
    const incident = await this.processedIncident(retraction.incidentId);
    if (!incident) {
      // Removed by an earlier run: what it had to tell is in the outbox (sent again: each channel
      // drops what it already has by id), then only the mark is missing.
      const stored = (await this.retractions.outboxOf(retraction.id)) as RetractionOutbox | undefined;
      if (stored) await this.send(stored);
      await this.retractions.saveProgress(retraction.id, { ...retraction, doneAt: new Date() });
      return;
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

    // Worded now, sent once the incident is gone: whoever is told and reads it at once finds it removed.
    const outbox = await this.prepare(retraction, incident, indicator, { correlations, alerts }, sharing, principals);
    const told = {
      readers: outbox.plan.deliveries.map((d) => ledgerMember(d.reader)),
      webhookEndpointIds: outbox.webhooks.flatMap((w) => w.endpointIds),
      emails: outbox.mails.reduce((sum, m) => sum + m.recipients.length, 0),
    };
    const withdrawn = { correlationIds: correlations.map((c) => c.id), alertIds: alerts.map((a) => a.id) };
    await this.retractions.saveProgress(retraction.id, { withdrawn, told, outbox });

    if (retraction.scope === 'incident') await this.deadlines.remove(incident.id);
    await this.correlations.removeMany(correlations.map((c) => c.id));
    await this.watchHits.removeMany(hits.map((h) => h.id));
    if (retraction.scope === 'incident') {
      // Before the incident goes, so a run that dies in between withdraws them again.
      await this.taxii.withdraw(incident.id);
      await this.incidents.remove(incident.id);
      await this.visibility.forget(incident.id);
    } else {
      await this.incidents.removeIndicator(incident.id, (current) => withoutIndicator(current, retraction));
      // The TAXII collections drop the indicator's objects.
      const remaining = await this.incidents.findById(incident.id);
      if (remaining) await this.taxii.publish(remaining);
    }
    // Sockets that joined the incident re-check it (a removed one is left).
    await this.publisher.control({ type: 'revalidate', incidentId: incident.id });
    await this.send(outbox);
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
   * The incident once its processing is over (what processing indexes, the retraction removes):
   * re-read every PROCESSING_POLL_MS for up to PROCESSING_WAIT_MS, then `IncidentStillProcessing`
   * (the job is retried with backoff, and the sweeper re-queues it after that). Undefined when gone.
   */
  private async processedIncident(incidentId: string): Promise<Incident | undefined> {
    for (let waited = 0; ; waited += PROCESSING_POLL_MS) {
      const incident = await this.incidents.findById(incidentId);
      if (!incident || (incident.state !== 'pending' && incident.state !== 'enriched')) return incident;
      if (waited >= PROCESSING_WAIT_MS)
        throw new IncidentStillProcessing(`incident ${incidentId} is still being processed`);
      await new Promise((resolve) => setTimeout(resolve, PROCESSING_POLL_MS));
    }
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

  /**
   * Words the retraction for everyone told: the live plan (the ledger, plus whoever may see the
   * incident now), and one notification per organization for the webhook endpoints and e-mail
   * addresses that were sent a withdrawn alert. Raises the `retraction` rules of the organizations
   * told (not the submitter) while the incident is still there to describe.
   */
  private async prepare(
    retraction: Retraction,
    incident: Incident,
    indicator: IncidentIndicator | undefined,
    withdrawn: { correlations: readonly Correlation[]; alerts: readonly Alert[] },
    sharing: SharingContext,
    principals: PrincipalDirectory,
  ): Promise<RetractionOutbox> {
    const shown = indicator ? { type: indicator.type, value: indicator.value } : undefined;
    const ledger = await this.publisher.log.told(incident.id);
    const readers: Reader[] = [...ledger.readers, ...incidentReaders(incident, sharing, principals)];
    const plan = planRetracted(retraction, incident, readers, withdrawn, sharing, shown, ledger.knew);

    // E-mail and webhooks: who was sent one of the withdrawn alerts, told in the same words.
    const alertIds = withdrawn.alerts.map((a) => a.id);
    const [endpoints, recipients] = await Promise.all([
      this.deliveries.endpointsToldOf(alertIds),
      this.mailMessages.recipientsToldOf(alertIds),
    ]);
    const orgIds = new Set([...endpoints.map((e) => e.orgId), ...recipients.map((r) => r.orgId)]);
    const webhooks: RetractionOutbox['webhooks'] = [];
    const mails: RetractionOutbox['mails'] = [];
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
      if (endpointIds.length > 0) webhooks.push({ notification, endpointIds });
      const to = recipients
        .filter((r) => r.orgId === orgId)
        .map((r) => ({ address: r.address, language: r.language, maxTlp: r.maxTlp }));
      if (to.length > 0) mails.push({ notification, recipients: to });
    }

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
    return { plan, webhooks, mails };
  }

  /** Sends a prepared retraction; again after a crash, nothing twice (the live event by its key, the rest by id). */
  private async send(outbox: RetractionOutbox): Promise<void> {
    const retractionId = outbox.plan.deliveries[0]?.payload.retractionId;
    if (retractionId) await this.publisher.publish(outbox.plan, { onceKey: retractionId });
    for (const { notification, endpointIds } of outbox.webhooks)
      await this.webhooks.dispatch(notification, { endpointIds, anyType: true });
    for (const { notification, recipients } of outbox.mails) await this.mail.dispatch(notification, recipients);
  }
}
