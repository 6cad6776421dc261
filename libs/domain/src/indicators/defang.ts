import type { IndicatorType } from './indicator-type';
import { detectIndicatorType } from './normalize';

const DEFANGED_SCHEME: Readonly<Record<string, string>> = {
  http: 'hxxp',
  https: 'hxxps',
  ftp: 'fxp',
  ftps: 'fxps',
};

const dots = (text: string) => text.replace(/\./g, '[.]');

function defangUrl(value: string): string {
  const mark = value.indexOf('://');
  if (mark < 0) return value;
  const scheme = value.slice(0, mark);
  const authorityEnd = value.slice(mark + 3).search(/[/?#]/);
  const end = authorityEnd < 0 ? value.length : mark + 3 + authorityEnd;
  const authority = value.slice(mark + 3, end);
  // An IPv6 literal keeps its brackets and colons; a name or an IPv4 address gets [.] dots.
  const host = authority.startsWith('[') ? authority : dots(authority);
  return `${DEFANGED_SCHEME[scheme] ?? scheme}[://]${host}${value.slice(end)}`;
}

/**
 * The usual defanged form of a canonical indicator value, for text meant to be read and not clicked:
 * `hxxps[://]evil[.]example/path`, `203.0.113[.]7` written as `203[.]0[.]113[.]7`,
 * `bad[@]evil[.]example`, `2001[:]db8[:][:]1`, `:[:]1`. Paths, queries, hashes, CVE and AS numbers are left as
 * they are. `refang` turns the result back into the value.
 */
export function defang(value: string, type: IndicatorType | undefined = detectIndicatorType(value)): string {
  switch (type) {
    case undefined:
      return value;
    case 'domain':
    case 'ipv4':
      return dots(value);
    case 'ipv6':
    case 'cidr':
      // Not the first colon: a leading '[' would read as a bracket around the address.
      return dots(value).replace(/(?<=.):/g, '[:]');
    case 'email':
      return dots(value).replace('@', '[@]');
    case 'url':
      return defangUrl(value);
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'cve':
    case 'asn':
      return value;
  }
}
