import type { DomainWarningList } from './warning-list';

/**
 * Widely known domains of large platforms and their CDNs: a short hand-written list of names every
 * analyst recognises (it is not taken from any ranking). A report that mentions one (an update
 * server, an advisory link, a CDN host) says nothing about an attacker; correlating on it would link
 * unrelated incidents.
 *
 * Left out on purpose: free-mail domains (gmail.com, outlook.com…), where an address is specific to
 * its holder, and user-content hosts (githubusercontent.com, github.io, googleusercontent.com,
 * blogspot.com…), where a name under the domain belongs to whoever uploaded the content.
 */
export const POPULAR_DOMAINS: DomainWarningList = {
  list: 'popular-domains',
  name: 'Popular domains and CDNs',
  updated: '2026-11-29',
  sources: ['Hand-written list of well-known domains of major platforms and CDNs (not a copied ranking).'],
  domains: [
    // Google
    'google.com',
    'googleapis.com',
    'gstatic.com',
    'youtube.com',
    'ytimg.com',
    'googlevideo.com',
    'doubleclick.net',
    // Microsoft
    'microsoft.com',
    'windowsupdate.com',
    'windows.com',
    'microsoftonline.com',
    'office.com',
    'office365.com',
    'bing.com',
    'msftncsi.com',
    'azureedge.net',
    // Apple
    'apple.com',
    'mzstatic.com',
    // Amazon
    'amazon.com',
    'amazonaws.com',
    'cloudfront.net',
    // CDNs and infrastructure
    'akamai.net',
    'akamaihd.net',
    'akamaiedge.net',
    'edgekey.net',
    'edgesuite.net',
    'cloudflare.com',
    'fastly.net',
    // Software and certificates
    'github.com',
    'mozilla.org',
    'mozilla.net',
    'digicert.com',
    'letsencrypt.org',
    // Social and reference
    'facebook.com',
    'fbcdn.net',
    'instagram.com',
    'whatsapp.com',
    'whatsapp.net',
    'twitter.com',
    'x.com',
    'twimg.com',
    'linkedin.com',
    'wikipedia.org',
    'wikimedia.org',
  ],
};
