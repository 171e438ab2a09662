/**
 * Default word lists for the narrative rule kinds. A guideline's own `terms` param replaces a
 * list entirely, so each list stays short and specific: a term that also describes real legal
 * work (e.g. "file a motion") would flag good entries.
 */

/** Phrases e-billing reviewers reject as saying nothing about the work (CounselLink SmartReview, Legal Tracker keyword flags). */
export const DEFAULT_VAGUE_TERMS: readonly string[] = [
  'attention to matter',
  'attention to file',
  'attention to case',
  'review file',
  'review of file',
  'review documents',
  'review correspondence',
  'work on case',
  'work on matter',
  'work on file',
  'case management',
  'file management',
  'follow up',
  'various',
  'miscellaneous',
  'conference',
  'correspondence',
  'research',
  'prepare',
  'review',
  'analysis',
];

/**
 * Administrative tasks clients refuse to pay lawyers' or paralegals' rates for (CounselGO codes
 * ADMIN and COPY; "filing, scheduling, alphabetizing, copying" in published guidelines).
 */
export const DEFAULT_CLERICAL_TERMS: readonly string[] = [
  'filing',
  'e-filing',
  'scheduling',
  'calendaring',
  'calendar',
  'copying',
  'photocopying',
  'scanning',
  'faxing',
  'printing',
  'organizing',
  'organize',
  'collating',
  'alphabetizing',
  'data entry',
  'mailing',
  'typing',
  'word processing',
  'bates stamping',
  'update index',
];

/** Words that mark non-working travel, which clients pay at a reduced rate or not at all (10 CFR 719.43). */
export const DEFAULT_TRAVEL_TERMS: readonly string[] = [
  'travel',
  'traveled',
  'travelled',
  'traveling',
  'travelling',
  'drive to',
  'drove to',
  'drive from',
  'drove from',
  'flight to',
  'flight from',
  'flew to',
  'flew from',
  'train to',
  'train from',
];

/** Narratives naming an internal meeting; with activity code A105 (communicate in firm) they mark internal conferences. */
export const DEFAULT_INTERNAL_CONFERENCE_TERMS: readonly string[] = [
  'internal conference',
  'internal meeting',
  'office conference',
  'team meeting',
  'team call',
  'intra-office conference',
  'confer with partner',
  'conferred with partner',
  'confer with associate',
  'conferred with associate',
  'meet with associate',
  'met with associate',
  'meet with partner',
  'met with partner',
];

/** The one internal activity code of the ABA activity set: A105 Communicate (in firm). */
export const DEFAULT_INTERNAL_CONFERENCE_ACTIVITY_CODES: readonly string[] = ['A105'];

/**
 * Task verbs for block-billing detection, as base forms. The matcher also accepts the regular
 * -s, -ed and -ing forms; irregular past forms are listed beside them.
 */
export const BLOCK_BILLING_VERBS: readonly string[] = [
  'analyze',
  'attend',
  'call',
  'confer',
  'correspond',
  'draft',
  'edit',
  'email',
  'finalize',
  'interview',
  'investigate',
  'meet',
  'met',
  'negotiate',
  'outline',
  'prepare',
  'research',
  'revise',
  'review',
  'spoke',
  'speak',
  'summarize',
  'telephone',
  'wrote',
  'write',
];

/**
 * Words that carry no content of their own when judging whether a narrative says more than its
 * vague phrases ("attention to the matter re file" is still vague).
 */
export const FILLER_WORDS: readonly string[] = [
  'a',
  'an',
  'and',
  'as',
  'at',
  'by',
  'case',
  'etc',
  'file',
  'files',
  'for',
  'from',
  'in',
  'matter',
  'matters',
  'of',
  'on',
  'or',
  're',
  'regarding',
  'the',
  'this',
  'to',
  'various',
  'with',
];
