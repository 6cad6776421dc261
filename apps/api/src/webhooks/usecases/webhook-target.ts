import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkWebhookUrl, classifyWebhookAddress, DomainError, type AllowedCidr } from '@corridor/domain';

/** Resolves a host name to every address (node's resolver by default). */
export type HostResolver = (hostname: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

const refused = (message: string) =>
  new DomainError('validation_failed', 'request is invalid', { fields: [{ field: 'url', message }] });

/**
 * Checks an endpoint URL at registration: its syntax (`checkWebhookUrl`), then every address its host
 * resolves to now (`classifyWebhookAddress`: global unicast, or inside WEBHOOK_ALLOWED_CIDRS). Returns
 * the URL as stored. Throws `validation_failed` naming `url`. Each attempt checks again what it
 * connects to: an address that changes later is refused then.
 */
export async function checkWebhookTarget(
  raw: string,
  allowed: readonly AllowedCidr[],
  resolve: HostResolver = systemResolver,
): Promise<string> {
  const checked = checkWebhookUrl(raw);
  if (!checked.ok) throw refused(checked.message);
  let addresses: string[];
  if (isIP(checked.hostname) !== 0) addresses = [checked.hostname];
  else {
    try {
      addresses = await resolve(checked.hostname);
    } catch {
      throw refused(`host ${checked.hostname} does not resolve`);
    }
  }
  if (addresses.length === 0) throw refused(`host ${checked.hostname} does not resolve`);
  for (const address of addresses) {
    const verdict = classifyWebhookAddress(address, allowed);
    if (!verdict.allowed)
      throw refused(
        `resolves to ${address}, a ${verdict.reason} address: webhooks reach only global unicast addresses ` +
          '(or those inside WEBHOOK_ALLOWED_CIDRS)',
      );
  }
  return checked.url;
}
