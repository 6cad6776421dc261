import { PageQuery } from '../../common/page.query';

/** GET /api/v1/incidents/:id/timeline: paging only. */
export class TimelineQuery extends PageQuery {}
