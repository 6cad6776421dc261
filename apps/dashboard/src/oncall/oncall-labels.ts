import type { RuleAlertState } from '../api/types';
import { k } from '../i18n/keys';
import type { AlertFilter } from './oncall-merge';

export const ALERT_STATE = {
  triggered: k('oncall.state.triggered'),
  acknowledged: k('oncall.state.acknowledged'),
  resolved: k('oncall.state.resolved'),
  withdrawn: k('oncall.state.withdrawn'),
} satisfies Record<RuleAlertState, string>;

export const FILTER_LABEL = {
  open: k('oncall.filter.open'),
  triggered: k('oncall.filter.triggered'),
  acknowledged: k('oncall.filter.acknowledged'),
  resolved: k('oncall.filter.resolved'),
  all: k('oncall.filter.all'),
} satisfies Record<AlertFilter, string>;
