/** The invoice workflow: states and transitions as data, routing, and stage SLAs. */
export * from './guards.js';
export * from './invoice-states.js';
export * from './plan-transition.js';
export * from './parse-routing.js';
export * from './routing.js';
export * from './sla.js';
