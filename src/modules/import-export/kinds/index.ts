import type { ImportKind } from '../import.service.js';
import type { KindDefinition } from '../kind.js';
import { clients } from './clients.js';
import { expenses } from './expenses.js';
import { matterTimekeepers } from './matter-timekeepers.js';
import { matters } from './matters.js';
import { rates } from './rates.js';
import { timeEntries } from './time-entries.js';
import { timekeepers } from './timekeepers.js';
import { users } from './users.js';

/** Each kind's columns, checks and SQL; the engine is the same for all. */
export const KIND_DEFINITIONS: Record<ImportKind, KindDefinition<any, any, any, any>> = {
  clients,
  matters,
  timekeepers,
  rates,
  'matter-timekeepers': matterTimekeepers,
  'time-entries': timeEntries,
  expenses,
  users,
};
