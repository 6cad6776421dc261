/* The dashboard under a burst: incidents posted while an analyst's feed is open in Chromium. */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import {
  RecordingClient,
  call,
  createOrgAdmin,
  incidentBody,
  launchChromium,
  openDashboard,
  signIn,
  type Deployment,
} from '@corridor/testing';

export interface BurstFigures {
  incidents: number;
  /** From the first POST to the last incident's row in the page's DOM (ms). */
  lastOnScreenMs: number;
  /** From the first POST to the last incident's `incident.created` on a bare socket.io client (ms). */
  lastOnSocketMs: number;
  /** The longest task on the page's main thread during the burst (ms), from Chromium's trace. */
  longestTaskMs: number;
  /** How many tasks of 50 ms or more (the browser's "long task") ran on the main thread. */
  longTasks: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

/** Names a top-level task has in Chromium's trace (`toplevel` category), older and current builds. */
const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

/** The durations (ms) of the main-thread tasks of every renderer in a Chromium trace (complete events, µs). */
function mainThreadTasks(trace: { traceEvents: TraceEvent[] }): number[] {
  const mains = new Set(
    trace.traceEvents
      .filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  return trace.traceEvents
    .filter((event) => TASK_EVENTS.has(event.name) && event.ph === 'X' && mains.has(`${event.pid}:${event.tid}`))
    .map((event) => (event.dur ?? 0) / 1000);
}

/** Records, in the page, when each feed row's incident id first enters the DOM (epoch ms). */
function watchRows(page: Page): Promise<void> {
  return page.evaluate(`(() => {
    const seen = (window.__rowsSeen = new Map());
    const note = (node) => {
      if (!(node instanceof Element)) return;
      for (const row of [node, ...node.querySelectorAll('[data-incident-id]')]) {
        const id = row.getAttribute && row.getAttribute('data-incident-id');
        if (id && !seen.has(id)) seen.set(id, Date.now());
      }
    };
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) note(node);
    }).observe(document.body, { childList: true, subtree: true });
  })()`);
}

/**
 * Posts `count` incidents (20 at a time, by a partner's API key) while an analyst of the receiving
 * side has the feed open, and measures when the last one is on screen and how long the page's main
 * thread was blocked at most. A bare socket.io client of the same organization, connected meanwhile,
 * gives the raw delivery time of the same events.
 */
export async function dashboardBurst(
  deployment: Deployment,
  partner: { id: string; key: string },
  count: number,
): Promise<BurstFigures> {
  const analyst = await createOrgAdmin(deployment, partner.id, { roles: ['org-admin', 'analyst'] });
  const browser = await launchChromium();
  const raw = new RecordingClient(deployment.baseUrl, partner.key);
  try {
    const { page } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    await page.locator('.feed-scroller').waitFor();
    await raw.connected();
    await watchRows(page);
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });

    const ids: string[] = [];
    let next = 0;
    const startedAt = Date.now();
    const started = performance.now();
    const socketTimes = new Map<string, number>();
    raw.socket.on('incident.created', (event: { id: string }) => socketTimes.set(event.id, performance.now()));
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < count) {
          const n = next++;
          const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
            token: partner.key,
            body: incidentBody({ title: `Burst ${n}`, tlp: 'GREEN' }),
          });
          if (reply.status !== 201) throw new Error(`burst POST answered ${reply.status}`);
          ids.push(reply.body.id);
        }
      }),
    );
    const deadline = Date.now() + 120_000;
    let shown: Record<string, number> = {};
    while (Date.now() < deadline) {
      shown = await page.evaluate<Record<string, number>>('Object.fromEntries(window.__rowsSeen)');
      if (ids.every((id) => shown[id] !== undefined) && ids.every((id) => socketTimes.has(id))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    const missing = ids.filter((id) => shown[id] === undefined);
    if (missing.length > 0) throw new Error(`${missing.length} of ${count} burst incidents never reached the page`);
    const tasks = mainThreadTasks(trace);
    return {
      incidents: count,
      lastOnScreenMs: Math.max(...ids.map((id) => shown[id])) - startedAt,
      lastOnSocketMs: Math.max(...ids.map((id) => socketTimes.get(id) ?? Number.NaN)) - started,
      longestTaskMs: Math.max(0, ...tasks),
      longTasks: tasks.filter((ms) => ms >= 50).length,
    };
  } finally {
    raw.close();
    await browser.close();
  }
}
