import type { Me, Role } from './session';

/** One screen in the navigation, with the roles that may use it. */
export interface NavItem {
  path: string;
  label: string;
  roles: readonly Role[];
  /** Also shown to any user who records time as a timekeeper. */
  forTimekeepers?: boolean;
}

/** The app's screens in navigation order; each role sees only what the API lets it use. */
export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/time', label: 'My time', roles: ['timekeeper'], forTimekeepers: true },
  { path: '/review', label: 'Review queue', roles: ['approver'] },
  {
    path: '/billing',
    label: 'Billing queue',
    roles: ['billing_coordinator', 'legal_ops', 'admin'],
  },
  {
    path: '/exceptions',
    label: 'Exceptions',
    roles: ['billing_coordinator', 'legal_ops', 'admin', 'approver'],
  },
  { path: '/dashboard', label: 'Dashboard', roles: ['legal_ops', 'admin'] },
  {
    path: '/guidelines',
    label: 'Guidelines',
    roles: ['legal_ops', 'admin', 'billing_coordinator'],
  },
  { path: '/admin', label: 'Admin', roles: ['admin'] },
];

/** True when the user may use the screen. */
export function mayUse(me: Me, item: NavItem): boolean {
  if (item.forTimekeepers && me.timekeeper_id !== null) return true;
  return me.roles.some((role) => item.roles.includes(role));
}

/** The screens the user may use, in navigation order. */
export function navFor(me: Me): NavItem[] {
  return NAV_ITEMS.filter((item) => mayUse(me, item));
}

// The first screen: the role's daily work. Approvers who also record time start on their review
// queue; legal ops on the dashboard; admins on administration.
const HOME_ORDER: readonly [Role, string][] = [
  ['billing_coordinator', '/billing'],
  ['approver', '/review'],
  ['legal_ops', '/dashboard'],
  ['admin', '/admin'],
  ['timekeeper', '/time'],
];

/** Where the user lands after signing in. */
export function homeFor(me: Me): string {
  for (const [role, path] of HOME_ORDER) if (me.roles.includes(role)) return path;
  return me.timekeeper_id !== null ? '/time' : '/guidelines';
}
