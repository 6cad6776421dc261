import { TLP_LEVELS } from '../visibility/tlp';
import { LANGUAGES, escapeHtml, mailMessageId, mailMessageIdHeader, renderMail, type Language } from './mail';
import { NOTIFICATION_TYPES, channelView, type Notification } from './notification';

const CANARY = 'canary-7f3e9b1c';

const base: Notification = {
  id: 'al-1',
  type: 'alert.triggered',
  orgId: 'org-b',
  tlp: 'GREEN',
  occurredAt: '2026-11-30T03:00:00.000Z',
  incidentId: 'inc-1',
  alertId: 'al-1',
  content: { title: `Phishing wave ${CANARY}`, severity: 'high' },
};

describe('renderMail', () => {
  it('puts the label first in the subject and directly before the information in the body', () => {
    const mail = renderMail(channelView(base), 'en', { incidentUrl: 'https://corridor.example/incidents/inc-1' });
    expect(mail.subject).toBe(`TLP:GREEN Alert raised: Phishing wave ${CANARY}`);
    const lines = mail.text.split('\n');
    expect(lines[0]).toBe('TLP:GREEN');
    expect(mail.text.indexOf('TLP:GREEN')).toBeLessThan(mail.text.indexOf(CANARY));
    expect(mail.text).toContain('severity: high');
    expect(mail.text).toContain('Incident: inc-1');
    expect(mail.text).toContain('https://corridor.example/incidents/inc-1');
    const body = mail.html.slice(mail.html.indexOf('<body'));
    expect(body.indexOf('TLP:GREEN')).toBeGreaterThan(-1);
    expect(body.indexOf('TLP:GREEN')).toBeLessThan(body.indexOf(CANARY));
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
  });

  it.each(['ar', 'ur'] as const)('writes %s right to left, the label isolated left to right', (language) => {
    const mail = renderMail(channelView(base), language);
    expect(mail.subject.startsWith('TLP:GREEN ')).toBe(true);
    expect(mail.html).toContain(`<html lang="${language}" dir="rtl">`);
    expect(mail.html).toContain('<body dir="rtl">');
    expect(mail.html).toMatch(/<bdi dir="ltr"[^>]*>TLP:GREEN<\/bdi>/);
    expect(mail.text.split('\n')[0]).toBe('\u2066TLP:GREEN\u2069');
    expect(mail.text.indexOf('TLP:GREEN')).toBeLessThan(mail.text.indexOf(CANARY));
    // Written in the language, not in English.
    expect(mail.subject).not.toContain('Alert raised');
    expect(mail.text).toMatch(/[\u0600-\u06ff]/);
  });

  it('has words for every notification type in every language', () => {
    for (const language of LANGUAGES)
      for (const type of NOTIFICATION_TYPES) {
        const mail = renderMail(channelView({ ...base, type }), language);
        const headline = mail.text.split('\n')[1];
        expect(headline).toBeTruthy();
        expect(headline).not.toContain('undefined');
      }
    const headlines = (language: Language) =>
      new Set(
        NOTIFICATION_TYPES.map((type) => renderMail(channelView({ ...base, type }), language).text.split('\n')[1]),
      );
    for (const language of LANGUAGES) expect(headlines(language).size).toBe(NOTIFICATION_TYPES.length);
  });

  it('escapes everything that comes from the content', () => {
    const mail = renderMail(
      channelView({
        ...base,
        content: { title: '<script>alert(1)</script>', '<b>key': 'a & "b" \'c\'', list: ['<i>', 2] },
      }),
      'en',
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).not.toContain('<i>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('a &amp; &quot;b&quot; &#39;c&#39;');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('keeps the subject on one line and refuses links other than http(s)', () => {
    const mail = renderMail(channelView({ ...base, content: { title: 'a\r\nBcc: x@evil.example' } }), 'en', {
      incidentUrl: 'javascript:alert(1)',
    });
    expect(mail.subject).toBe('TLP:GREEN Alert raised: a Bcc: x@evil.example');
    expect(mail.html).not.toContain('javascript:');
    expect(mail.text).not.toContain('javascript:');
  });

  it('says only what happened, the ids and the label when the content is withheld', () => {
    for (const language of LANGUAGES) {
      const mail = renderMail(channelView({ ...base, tlp: 'AMBER' }), language);
      expect(mail.subject.startsWith('TLP:AMBER ')).toBe(true);
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).not.toContain(CANARY);
        expect(part).not.toContain('high');
      }
      expect(mail.text).toContain('inc-1');
      expect(mail.text).toContain('Corridor');
    }
  });

  it('never writes TLP:RED content, whatever the recipient may receive', () => {
    for (const max of TLP_LEVELS) {
      const mail = renderMail(channelView({ ...base, tlp: 'RED' }, max), 'en');
      expect(mail.subject.startsWith('TLP:RED ')).toBe(true);
      expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain(CANARY);
    }
  });
});

describe('mail message ids', () => {
  it('are one per notification and address (case-insensitive), and differ otherwise', () => {
    const id = mailMessageId(base, 'Duty@CERT.example');
    expect(id).toMatch(/^mail-[0-9a-f]{32}$/);
    expect(mailMessageId(base, 'duty@cert.example')).toBe(id);
    expect(mailMessageId(base, 'other@cert.example')).not.toBe(id);
    expect(mailMessageId({ ...base, type: 'alert.resolved' }, 'duty@cert.example')).not.toBe(id);
    expect(mailMessageId({ ...base, orgId: 'org-c' }, 'duty@cert.example')).not.toBe(id);
  });

  it('give a Message-ID in the sender’s domain', () => {
    expect(mailMessageIdHeader('mail-abc', 'Corridor <alerts@cert.example>')).toBe('<mail-abc@cert.example>');
    expect(mailMessageIdHeader('mail-abc', 'alerts@cert.example')).toBe('<mail-abc@cert.example>');
  });
});
