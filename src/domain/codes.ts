/**
 * Shapes of the identifiers that travel into LEDES files and portals. LEDES 1998B fields such as
 * CLIENT_ID, LAW_FIRM_MATTER_ID and TIMEKEEPER_ID are Char*20, and `|` would break the file.
 */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,19}$/;
export const CODE_RULE =
  'must be 1–20 letters, digits, ".", "_", "/" or "-", starting with a letter or digit';

/** External ids of time entries and expenses from the firm's time system. */
export const EXTERNAL_ID_PATTERN = /^[^\s|]{1,64}$/;
export const EXTERNAL_ID_RULE = 'must be 1–64 characters without spaces or "|"';

/** UTBMS-style codes as recorded (validity against the code sets is a guideline rule, not a format rule). */
export const UTBMS_CODE_PATTERN = /^[A-Za-z0-9]{1,20}$/;
export const UTBMS_CODE_RULE = 'must be 1–20 letters or digits (e.g. L110, A103, E101)';

export const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+$/;
