import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrganizations } from '../api/organizations';
import { k } from '../i18n/i18n';
import { SEVERITY, STATUS } from '../ui/labels';
import { CLASSES, SEVERITIES, STATUSES, TLPS, isUnfiltered, type FeedFilters } from './feed-filters';

/** RSIT class names, translated (technical `class/type` values stay as they are). */
export const CLASS_LABEL = {
  'abusive-content': k('filters.class.abusive-content'),
  'malicious-code': k('filters.class.malicious-code'),
  'information-gathering': k('filters.class.information-gathering'),
  'intrusion-attempts': k('filters.class.intrusion-attempts'),
  intrusions: k('filters.class.intrusions'),
  availability: k('filters.class.availability'),
  'information-content-security': k('filters.class.information-content-security'),
  fraud: k('filters.class.fraud'),
  vulnerable: k('filters.class.vulnerable'),
  other: k('filters.class.other'),
  test: k('filters.class.test'),
} satisfies Record<(typeof CLASSES)[number], string>;

/** How long typing pauses before the text filter is applied (and written to the URL). */
const TEXT_DELAY_MS = 300;

/**
 * The feed's filters. Each change goes to the URL (the page's one source of the filters); the text
 * box is this component's own state, applied once typing pauses, so what is half typed stays as it
 * is while rows arrive and the list is re-read.
 */
export function FilterBar({
  filters,
  change,
}: {
  filters: FeedFilters;
  change: (change: Partial<FeedFilters>, options?: { replace?: boolean }) => void;
}) {
  const { t } = useTranslation();
  const organizations = useOrganizations();

  const [text, setText] = useState(filters.text ?? '');
  const applied = useRef(filters.text ?? '');
  // The URL changed by other means (back, a link, "clear"): show its text.
  useEffect(() => {
    const fromUrl = filters.text ?? '';
    if (fromUrl !== applied.current) {
      applied.current = fromUrl;
      setText(fromUrl);
    }
  }, [filters.text]);
  useEffect(() => {
    const wanted = text.trim();
    if (wanted === applied.current) return;
    const timer = setTimeout(() => {
      applied.current = wanted;
      change({ text: wanted || undefined }, { replace: true });
    }, TEXT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, change]);

  const [cls, type] = filters.classification?.split('/') ?? [];
  const classOptions = CLASSES.map((value) => ({ value, label: t(CLASS_LABEL[value]) }));
  const organizationList = organizations.data ?? [];
  const knownOrganization = organizationList.some((organization) => organization.id === filters.organization);

  return (
    <form
      className="filters"
      role="search"
      aria-label={t('filters.label')}
      onSubmit={(event) => event.preventDefault()}
    >
      <label className="filter">
        <span>{t('filters.text')}</span>
        <input
          name="filter"
          type="search"
          value={text}
          maxLength={200}
          placeholder={t('filters.textHint')}
          onChange={(event) => setText(event.target.value)}
        />
      </label>
      <label className="filter">
        <span>{t('filters.severity')}</span>
        <select
          name="severity"
          value={filters.severity ?? ''}
          onChange={(event) => change({ severity: SEVERITIES.find((value) => value === event.target.value) })}
        >
          <option value="">{t('filters.any')}</option>
          {SEVERITIES.map((value) => (
            <option key={value} value={value}>
              {t(SEVERITY[value])}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>{t('filters.classification')}</span>
        <select
          name="classification"
          value={filters.classification ?? ''}
          onChange={(event) => change({ classification: event.target.value || undefined })}
        >
          <option value="">{t('filters.any')}</option>
          {type !== undefined && cls !== undefined && (
            <option value={filters.classification} dir="ltr">
              {filters.classification}
            </option>
          )}
          {classOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>{t('filters.tlp')}</span>
        <select
          name="tlp"
          value={filters.tlp ?? ''}
          onChange={(event) => change({ tlp: TLPS.find((value) => value === event.target.value) })}
        >
          <option value="">{t('filters.any')}</option>
          {TLPS.map((value) => (
            <option key={value} value={value} dir="ltr">
              {t('tlp.label', { level: value })}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>{t('filters.status')}</span>
        <select
          name="status"
          value={filters.status ?? ''}
          onChange={(event) => change({ status: STATUSES.find((value) => value === event.target.value) })}
        >
          <option value="">{t('filters.any')}</option>
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(STATUS[value])}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>{t('filters.organization')}</span>
        <select
          name="organization"
          value={filters.organization ?? ''}
          onChange={(event) => change({ organization: event.target.value || undefined })}
        >
          <option value="">{t('filters.any')}</option>
          {filters.organization && !knownOrganization && (
            <option value={filters.organization}>{t('filters.unknownOrganization')}</option>
          )}
          {organizationList.map((organization) => (
            <option key={organization.id} value={organization.id}>
              {organization.name}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <input
          name="assignee"
          type="checkbox"
          checked={filters.assignee === 'me'}
          onChange={(event) => change({ assignee: event.target.checked ? 'me' : undefined })}
        />
        <span>{t('filters.mine')}</span>
      </label>
      <button
        type="button"
        disabled={isUnfiltered(filters) && text === ''}
        onClick={() => {
          applied.current = '';
          setText('');
          change(
            {
              severity: undefined,
              classification: undefined,
              tlp: undefined,
              status: undefined,
              organization: undefined,
              assignee: undefined,
              text: undefined,
            },
            { replace: false },
          );
        }}
      >
        {t('filters.clear')}
      </button>
    </form>
  );
}
