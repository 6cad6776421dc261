import type { DeadlineStatus } from '../api/types';
import { k } from '../i18n/keys';
import type { DeadlineFilter } from './deadline-list';

export const STATUS_LABEL = {
  overdue: k('deadlines.status.overdue'),
  'due-soon': k('deadlines.status.dueSoon'),
  pending: k('deadlines.status.pending'),
} satisfies Record<DeadlineStatus, string>;

export const FILTER_LABEL = {
  'due-soon': k('deadlines.filter.dueSoon'),
  overdue: k('deadlines.filter.overdue'),
  all: k('deadlines.filter.all'),
} satisfies Record<DeadlineFilter, string>;
