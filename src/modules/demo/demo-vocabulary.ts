/**
 * The words of the demo firm's time entries and expenses. Every task, activity and expense code
 * here comes from the ABA UTBMS code sets (litigation L, project P, bankruptcy B, counseling C,
 * activities A101–A111); the deliberately wrong codes are kept apart below.
 *
 * A narrative template is "<activity code> <text>"; `{party}` is the matter's counterparty and
 * `{topic}` the subject of an advice matter.
 */

export type CodeSet = 'litigation' | 'project' | 'bankruptcy' | 'counseling';

export const NARRATIVES: Record<CodeSet, Record<string, readonly string[]>> = {
  litigation: {
    L110: [
      'A104 Review client business records for fact chronology',
      'A103 Draft chronology of key events from produced documents',
      'A106 Interview client personnel regarding key events',
      'A102 Research public filings and corporate background of {party}',
      'A108 Interview former employee witness regarding disputed communications',
    ],
    L120: [
      'A104 Analyze liability theories and available defenses',
      'A105 Strategy conference with litigation team regarding case plan',
      'A103 Draft case assessment memorandum for client',
      'A106 Call with client regarding litigation strategy and next steps',
      'A102 Research damages theories under governing law',
    ],
    L130: [
      'A108 Call with damages expert regarding methodology and data needs',
      'A104 Review expert engagement letter and conflict disclosures',
      'A101 Prepare document set for consulting expert',
    ],
    L140: [
      'A110 Organize key documents in review platform by issue',
      'A110 Update pleadings index and correspondence database',
    ],
    L150: [
      'A103 Prepare litigation budget for discovery phase',
      'A106 Email client regarding budget to actual through month end',
    ],
    L160: [
      'A103 Draft mediation statement',
      'A107 Confer with counsel for {party} regarding settlement framework',
      'A101 Prepare for mediation session',
      'A106 Advise client regarding settlement range and mediation strategy',
    ],
    L210: [
      'A103 Draft answer and affirmative defenses',
      'A104 Review and analyze amended complaint filed by {party}',
      'A103 Revise counterclaims per client comments',
      'A102 Research pleading standard for fraud allegations',
    ],
    L230: [
      'A101 Prepare for case management conference',
      'A109 Attend status conference before the court',
    ],
    L240: [
      'A103 Draft summary judgment brief, statement of undisputed facts',
      'A102 Research case law on contract interpretation for summary judgment',
      'A104 Review opposition to motion for summary judgment filed by {party}',
      'A103 Revise reply brief in support of summary judgment',
    ],
    L250: [
      'A103 Draft letter motion for extension of discovery deadlines',
      'A104 Review motion to amend scheduling order filed by {party}',
      'A103 Draft opposition to motion to strike affirmative defenses',
    ],
    L310: [
      'A103 Draft responses and objections to second set of interrogatories',
      'A104 Review responses to requests for production served by {party}',
      'A103 Draft deficiency letter to counsel for {party} regarding discovery responses',
      'A107 Meet and confer with counsel for {party} regarding discovery responses',
    ],
    L320: [
      'A104 Review documents for responsiveness and privilege',
      'A103 Prepare privilege log entries for third production volume',
      'A110 Prepare production volume and load file',
      'A104 Second-level review of documents flagged as privileged',
    ],
    L330: [
      'A101 Prepare outline for deposition of operations manager of {party}',
      'A109 Attend deposition of corporate representative of {party}',
      'A104 Review deposition transcript and prepare summary',
      'A101 Prepare client witness for deposition',
    ],
    L340: [
      'A104 Review damages expert report served by {party}',
      'A103 Draft rebuttal expert disclosure',
    ],
    L350: [
      'A103 Draft motion to compel production of electronic records',
      'A102 Research proportionality standard for motion to compel',
    ],
  },
  project: {
    P100: [
      'A105 Deal team call regarding workstreams and timeline',
      'A103 Update closing checklist and responsibility list',
      'A106 Weekly status call with client deal team',
    ],
    P210: [
      'A104 Review charter documents and board minutes of {party}',
      'A104 Review material contracts in data room for change of control provisions',
      'A103 Draft corporate section of due diligence report',
    ],
    P220: ['A104 Review tax diligence responses from {party}'],
    P240: ['A104 Review real property leases in data room'],
    P250: ['A104 Review employment agreements and benefit plans of {party}'],
    P260: ['A104 Review IP assignments and license agreements of {party}'],
    P270: [
      'A102 Research regulatory approvals required for the transaction',
      'A104 Review licenses and permits held by {party}',
    ],
    P300: [
      'A104 Analyze transaction structure alternatives',
      'A106 Call with client regarding deal structure and tax considerations',
      'A103 Draft structure memorandum',
    ],
    P400: [
      'A103 Draft purchase agreement',
      'A103 Draft disclosure schedules',
      'A103 Prepare ancillary closing documents',
      'A103 Draft board resolutions approving the transaction',
    ],
    P500: [
      'A104 Review markup of purchase agreement from counsel for {party}',
      'A107 Negotiation call with counsel for {party} regarding indemnification',
      'A103 Revise purchase agreement following negotiation call',
      'A103 Prepare issues list on comments from {party}',
    ],
    P600: [
      'A103 Prepare closing memorandum and funds flow',
      'A110 Assemble signature pages and closing set',
      'A109 Attend closing call',
    ],
    P700: ['A103 Draft post-closing integration checklist'],
  },
  bankruptcy: {
    B110: [
      'A105 Team meeting regarding case status and workstreams',
      'A104 Review docket and recently filed pleadings',
    ],
    B120: ['A104 Analyze asset schedules and valuation report'],
    B130: [
      'A103 Draft bidding procedures motion',
      'A104 Review asset purchase agreement for section 363 sale',
    ],
    B140: [
      'A104 Review equipment lessor motion for relief from stay',
      'A103 Draft objection to motion for relief from stay',
    ],
    B150: [
      'A109 Attend section 341 meeting of creditors',
      'A107 Call with creditors committee counsel regarding case timeline',
    ],
    B160: [
      'A103 Draft monthly fee statement',
      'A103 Prepare retention application for financial advisor',
    ],
    B185: [
      'A104 Analyze executory contracts for assumption or rejection',
      'A103 Draft motion to reject unexpired nonresidential leases',
    ],
    B190: ['A103 Draft reply to objection to cash management motion'],
    B210: ['A106 Call with client regarding critical vendor payments'],
    B230: [
      'A104 Review DIP budget and weekly variance report',
      'A103 Revise proposed final DIP financing order',
    ],
    B310: ['A104 Review filed proofs of claim', 'A103 Draft omnibus objection to claims'],
    B320: [
      'A103 Draft plan of reorganization',
      'A103 Revise disclosure statement',
      'A107 Negotiate plan terms with committee counsel',
    ],
    B410: ['A106 Advise client board regarding restructuring alternatives'],
  },
  counseling: {
    C100: [
      'A106 Call with client compliance team to gather facts on {topic}',
      'A104 Review client policies and procedures on {topic}',
      'A104 Review internal audit findings on {topic}',
    ],
    C200: [
      'A102 Research {topic}',
      'A102 Research recent enforcement actions concerning {topic}',
      'A102 Research agency guidance on {topic}',
    ],
    C300: [
      'A103 Draft advice memorandum on {topic}',
      'A106 Advise client regarding {topic}',
      'A103 Revise compliance policy addressing {topic}',
      'A104 Analyze gap assessment findings on {topic}',
    ],
    C400: [
      'A108 Call with regulator staff regarding {topic}',
      'A108 Correspondence with agency regarding {topic}',
      'A107 Confer with local counsel regarding {topic}',
    ],
  },
};

/** The code a paralegal's file-keeping lands on in each code set. */
export const ADMIN_TASK: Record<CodeSet, string> = {
  litigation: 'L140',
  project: 'P100',
  bankruptcy: 'B110',
  counseling: 'C100',
};

export const ACTIVITY_CODES = [
  'A101',
  'A102',
  'A103',
  'A104',
  'A105',
  'A106',
  'A107',
  'A108',
  'A109',
  'A110',
  'A111',
] as const;

/** Codes that no portal accepts: unknown in any code set, or from the wrong set for the matter. */
export const INVALID_TASK_CODES: Record<CodeSet, readonly string[]> = {
  litigation: ['L999', 'P400'],
  project: ['P999', 'L120'],
  bankruptcy: ['B999', 'L120'],
  counseling: ['C500', 'L120'],
};
export const INVALID_ACTIVITY_CODES = ['A120', 'A199'] as const;

/** Narratives clients' reviewers reject as saying nothing about the work. */
export const VAGUE_NARRATIVES = [
  'Attention to file',
  'Review documents',
  'Work on case',
  'Conference',
  'Review file and emails',
  'Various correspondence',
  'Legal research',
  'Follow up on matter',
] as const;

/** Administrative work that clients do not pay lawyer or paralegal rates for. */
export const CLERICAL_NARRATIVES = [
  'Scan and file documents',
  'Organize binders and file correspondence',
  'Calendar deadlines',
  'Copy and collate exhibits for binders',
  'Schedule meeting with client',
  'Update file index and label folders',
  'Bates stamp and scan documents',
] as const;
