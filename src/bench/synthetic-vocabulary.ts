/**
 * Words of the synthetic firm's time entries: clean litigation narratives with their UTBMS codes,
 * and the kinds of problem narratives e-billing reviewers flag. Clean narratives name one task,
 * use at most two task verbs and none of the vague, banned, clerical, travel or internal-meeting
 * phrases, so every finding on them comes from an injected problem.
 */

/** [task code, activity code, narrative]; `{party}` is the matter's counterparty. */
export type NarrativeTemplate = readonly [task: string, activity: string, text: string];

export const CLEAN_NARRATIVES: readonly NarrativeTemplate[] = [
  ['L110', 'A104', 'Review client business records for fact chronology'],
  ['L110', 'A103', 'Draft chronology of key events from produced documents'],
  ['L120', 'A104', 'Analyze liability theories and available defenses'],
  ['L120', 'A106', 'Call with client regarding litigation strategy and next steps'],
  ['L120', 'A102', 'Research damages theories under governing law'],
  ['L130', 'A108', 'Call with damages expert regarding methodology and data needs'],
  ['L150', 'A103', 'Draft litigation budget for discovery and expert phase'],
  ['L160', 'A103', 'Draft mediation statement addressing liability and damages'],
  ['L160', 'A107', 'Confer with counsel for {party} regarding settlement framework'],
  ['L190', 'A106', 'Email client regarding deposition dates and witness availability'],
  ['L210', 'A103', 'Draft answer and affirmative defenses to amended complaint'],
  ['L210', 'A104', 'Review and analyze amended complaint served by {party}'],
  ['L230', 'A109', 'Appear at court hearing on pending discovery motion'],
  ['L240', 'A103', 'Draft summary judgment brief and statement of undisputed facts'],
  ['L240', 'A102', 'Research case law on contract interpretation for summary judgment'],
  ['L250', 'A103', 'Draft opposition to motion to strike affirmative defenses'],
  ['L250', 'A104', 'Analyze motion to dismiss brought by {party} and controlling authority'],
  ['L310', 'A103', 'Draft responses and objections to second set of interrogatories'],
  ['L310', 'A107', 'Meet and confer with counsel for {party} regarding discovery responses'],
  ['L320', 'A104', 'Review documents for responsiveness and privilege'],
  ['L320', 'A103', 'Prepare privilege log entries for third production volume'],
  ['L330', 'A101', 'Prepare outline for deposition of {party} corporate representative'],
  ['L330', 'A109', 'Attend deposition of {party} operations manager'],
  ['L340', 'A104', 'Review expert report served by {party} on damages'],
  ['L350', 'A104', 'Review discovery motion brought by {party} and supporting exhibits'],
  ['L420', 'A101', 'Prepare witness examination outlines for trial'],
  ['L430', 'A103', 'Draft motions in limine regarding expert testimony'],
];

/** An internal conference: activity A105 marks it; two timekeepers on one matter-day is one too many. */
export const INTERNAL_CONFERENCE: NarrativeTemplate = [
  'L120',
  'A105',
  'Strategy session with litigation team regarding trial themes',
];

export const PROBLEM_NARRATIVES = {
  vague: [
    'Attention to matter',
    'Review file and follow up',
    'Work on case',
    'Case management',
    'Follow up with client',
    'Call client',
  ],
  block: [
    'Draft motion to compel; call with client regarding discovery; review deposition transcript',
    'Review production documents, draft deficiency letter, call counsel for {party} and revise case plan',
    'Research privilege issues; draft memorandum to client on privilege log',
  ],
  banned: [
    'Prepare status report to client on discovery progress',
    'Revise settlement agreement per our discussion with client',
    'Administrative tasks for production of documents to {party}',
    'Organize file for trial preparation',
  ],
  clerical: [
    'Scanning and bates stamping of production documents',
    'Calendaring discovery deadlines in firm docket system',
    'Photocopying deposition exhibits for hearing binder',
  ],
  travel: [
    'Travel to Chicago for deposition of {party} witness',
    'Flight to Dallas for mediation session with {party}',
  ],
} as const satisfies Record<string, readonly string[]>;

/** Codes a guideline on the litigation set rejects: unknown, a phase roll-up, another set, a bad activity. */
export const INVALID_TASK_CODES = ['L999', 'L100', 'P210'] as const;
export const INVALID_ACTIVITY_CODES = ['A120', 'A100'] as const;

export const COUNTERPARTIES = [
  'Meridian Logistics',
  'Harbor Point Holdings',
  'Caldwell Manufacturing',
  'Sterling Freight',
  'Bluewater Marine',
  'Orchard Health',
  'Pinecrest Developers',
  'Lakeside Energy',
  'Granite Peak Mining',
  'Summit Retail Group',
  'Ironwood Capital',
  'Redfield Pharmaceuticals',
] as const;

// prettier-ignore
export const FIRST_NAMES = [
  'Alex', 'Blair', 'Casey', 'Dana', 'Elliot', 'Frances', 'Gabriel', 'Harper', 'Irene', 'Jordan',
  'Kendall', 'Logan', 'Morgan', 'Noel', 'Oliver', 'Priya', 'Quinn', 'Riley', 'Samir', 'Taylor',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Abbott', 'Bennett', 'Chen', 'Delgado', 'Ellis', 'Fischer', 'Garcia', 'Hughes', 'Iyer', 'Jensen',
  'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quintero', 'Rossi', 'Sato',
  'Thompson', 'Underwood', 'Vargas', 'Whitfield', 'Yilmaz', 'Zimmerman',
] as const;

// prettier-ignore
export const CLIENT_NAMES = [
  'Insurance', 'Mutual', 'Industries', 'Holdings', 'Bank', 'Health', 'Energy', 'Logistics',
  'Pharmaceuticals', 'Technologies',
] as const;
