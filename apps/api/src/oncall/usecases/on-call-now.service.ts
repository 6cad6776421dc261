import { Injectable } from '@nestjs/common';
import { nextHandover, onCallAt, type Principal } from '@corridor/domain';
import { OnCallSchedulesRepository, UsersRepository } from '@corridor/persistence';
import { requireMember } from '../access';

export interface OnCallNow {
  at: string;
  schedules: Array<{
    scheduleId: string;
    name: string;
    timeZone: string;
    onCall: Array<{ id: string; name: string; email: string }>;
    nextHandover: string | null;
  }>;
}

/**
 * Who is on call in each of the caller's organization's schedules at `at` (default: the server's
 * clock now), named as the users API shows people (id, name, e-mail). Any person of the organization.
 */
@Injectable()
export class OnCallNowService {
  constructor(
    private readonly schedules: OnCallSchedulesRepository,
    private readonly users: UsersRepository,
  ) {}

  async execute(principal: Principal, at: Date = new Date()): Promise<OnCallNow> {
    requireMember(principal);
    const schedules = await this.schedules.listByOrg(principal.orgId);
    const onCall = new Map(schedules.map((s) => [s.id, onCallAt(s, at)]));
    const people = await this.users.findByIds([...new Set([...onCall.values()].flat())]);
    // Only the organization's own people are ever named (a schedule names no one else).
    const byId = new Map(people.filter((p) => p.orgId === principal.orgId).map((p) => [p.id, p]));
    return {
      at: at.toISOString(),
      schedules: schedules.map((schedule) => ({
        scheduleId: schedule.id,
        name: schedule.name,
        timeZone: schedule.timeZone,
        onCall: (onCall.get(schedule.id) ?? []).flatMap((id) => {
          const person = byId.get(id);
          return person ? [{ id: person.id, name: person.name, email: person.email }] : [];
        }),
        nextHandover: nextHandover(schedule, at)?.toISOString() ?? null,
      })),
    };
  }
}
