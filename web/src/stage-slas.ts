/**
 * The firm's stage SLAs and holidays as the server stores them, for the SLA states the screens
 * show. The app loads them once a session (roles that see SLA states) and, until they arrive,
 * uses Matterflow's defaults, so a screen never waits for them.
 */
import { useQuery } from '@tanstack/react-query';
import type { InvoiceState } from '../../src/domain/workflow/invoice-states';
import { DEFAULT_STAGE_SLAS, type BusinessCalendar, type Sla } from '../../src/domain/workflow/sla';
import { api, unwrap } from './api/client';
import type { paths } from './api/openapi';
import type { Me } from './session';

export type StageSlaItem =
  paths['/api/v1/settings/stage-slas']['get']['responses'][200]['content']['application/json']['items'][number];

let firmSlas: Readonly<Record<InvoiceState, Sla | null>> = DEFAULT_STAGE_SLAS;
let firmCalendar: BusinessCalendar = { holidays: [] };

/** The SLA of a stage and the calendar its business days count on, as last loaded. */
export function firmSlaOf(state: InvoiceState): { sla: Sla | null; calendar: BusinessCalendar } {
  return { sla: firmSlas[state] ?? null, calendar: firmCalendar };
}

/** An API item as the domain's Sla. */
export function slaOfItem(item: Pick<StageSlaItem, 'unit' | 'amount'>): Sla | null {
  if (item.unit === 'none' || item.amount === null) return null;
  return item.unit === 'hours' ? { hours: item.amount } : { businessDays: item.amount };
}

// Who sees SLA states (queues, invoices, dashboards): everyone but timekeepers only.
const READERS: readonly Me['roles'][number][] = [
  'admin',
  'legal_ops',
  'billing_coordinator',
  'approver',
];

/**
 * Loads the firm's SLAs and holidays for the signed-in user and makes `slaState` use them. Call
 * it in the layout: it renders before the screens, so they read the loaded values.
 */
export function useFirmSlas(me: Me): void {
  const enabled = me.roles.some((role) => READERS.includes(role));
  const slas = useQuery({
    queryKey: ['stage-slas'],
    queryFn: () => unwrap(api.GET('/api/v1/settings/stage-slas')),
    enabled,
    staleTime: 300_000,
  });
  const holidays = useQuery({
    queryKey: ['holidays'],
    queryFn: () => unwrap(api.GET('/api/v1/calendar/holidays')),
    enabled,
    staleTime: 300_000,
  });
  if (slas.data) {
    const loaded = { ...DEFAULT_STAGE_SLAS };
    for (const item of slas.data.items) loaded[item.stage] = slaOfItem(item);
    firmSlas = loaded;
  }
  if (holidays.data) firmCalendar = { holidays: holidays.data.items.map((h) => h.date) };
}
