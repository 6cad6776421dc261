// The domain's own rules and vocabularies, for the browser. `@corridor/domain`'s index also exports
// server code (password hashing, node:crypto), which a browser bundle cannot carry, so the pure
// modules are imported one by one here — and only here. Nothing is copied: the lists and the workflow
// the page offers are the ones the api enforces.
export { RSIT_CLASSES, RSIT_TAXONOMY } from '../../../../libs/domain/src/incidents/taxonomy';
export { INCIDENT_STATUSES, SEVERITIES } from '../../../../libs/domain/src/incidents/incident';
export { allowedNextStatuses } from '../../../../libs/domain/src/incidents/workflow';
export { TLP_LEVELS } from '../../../../libs/domain/src/visibility/tlp';
export { PAP_LEVELS, defaultPap } from '../../../../libs/domain/src/visibility/pap';
export { WARNING_LISTS } from '../../../../libs/domain/src/indicators/warning-lists';
export { DISCLOSURE_LEVELS } from '../../../../libs/domain/src/visibility/disclosure';
export { INDICATOR_TYPES } from '../../../../libs/domain/src/indicators/indicator-type';
export { SIGHTING_KINDS, SIGHTING_NOTE_MAX } from '../../../../libs/domain/src/incidents/sighting';
export { hasScope, scopesOf, type Scope } from '../../../../libs/domain/src/auth/principal';
export { CHANNEL_TLP_LEVELS } from '../../../../libs/domain/src/notifications/notification';
