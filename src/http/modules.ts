import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../config/context.js';
import type { SecurityConfig } from '../config/security.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { calendarRoutes } from '../modules/calendar/calendar.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { clientRoutes } from '../modules/clients/clients.routes.js';
import { ebillingRoutes } from '../modules/ebilling/ebilling.routes.js';
import { fieldVisibilityRoutes } from '../modules/field-visibility/field-visibility.routes.js';
import { exceptionRoutes } from '../modules/compliance/exceptions.routes.js';
import { ledesRoutes } from '../modules/ledes/ledes.routes.js';
import { expenseRoutes } from '../modules/expenses/expenses.routes.js';
import { guidelineRoutes } from '../modules/guidelines/guidelines.routes.js';
import { invoiceRoutes } from '../modules/invoices/invoices.routes.js';
import { matterTimekeeperRoutes } from '../modules/matter-timekeepers/matter-timekeepers.routes.js';
import { matterRoutes } from '../modules/matters/matters.routes.js';
import { metricsRoutes } from '../modules/metrics/flow-metrics.routes.js';
import { notificationRoutes } from '../modules/notifications/notifications.routes.js';
import { packetRoutes } from '../modules/prebill/packet.routes.js';
import { prebillRoutes } from '../modules/prebill/prebill.routes.js';
import { questionRoutes } from '../modules/prebill/questions.routes.js';
import { writeDownRoutes } from '../modules/prebill/write-downs.routes.js';
import { rateRoutes } from '../modules/rates/rates.routes.js';
import { routingRoutes } from '../modules/routing/routing.routes.js';
import { stageSlaRoutes } from '../modules/stage-slas/stage-slas.routes.js';
import { timekeeperRoutes } from '../modules/timekeepers/timekeepers.routes.js';
import { userRoutes } from '../modules/users/users.routes.js';
import { utbmsRoutes } from '../modules/utbms/utbms.routes.js';
import { timeEntryRoutes } from '../modules/time-entries/time-entries.routes.js';

/** What a module's route plugin receives. */
export interface RouteDeps {
  ctx: AppContext;
  secureCookies: boolean;
  security: SecurityConfig;
}

export type RegisterRoutes = (api: FastifyInstance, deps: RouteDeps) => Promise<void>;

/** Every module's routes, mounted under /api/v1. Add a module here to expose it. */
export const API_MODULES: RegisterRoutes[] = [
  authRoutes,
  clientRoutes,
  matterRoutes,
  timeEntryRoutes,
  rateRoutes,
  userRoutes,
  timekeeperRoutes,
  expenseRoutes,
  matterTimekeeperRoutes,
  guidelineRoutes,
  utbmsRoutes,
  ledesRoutes,
  exceptionRoutes,
  auditRoutes,
  invoiceRoutes,
  routingRoutes,
  metricsRoutes,
  notificationRoutes,
  ebillingRoutes,
  prebillRoutes,
  questionRoutes,
  writeDownRoutes,
  calendarRoutes,
  packetRoutes,
  fieldVisibilityRoutes,
  stageSlaRoutes,
];
