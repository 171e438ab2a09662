/** UTBMS code types shared by the code-set tables and the lookups. */

/** The ABA task code sets Matterflow knows. */
export type TaskCodeSet = 'litigation' | 'counseling' | 'project' | 'bankruptcy';

/** Every UTBMS code set: the task sets plus the activity and expense sets used with all of them. */
export type UtbmsCodeSet = TaskCodeSet | 'activity' | 'expense';

/** What a code describes on a LEDES line: the task, the activity, or the expense. */
export type UtbmsKind = 'task' | 'activity' | 'expense';

/** One UTBMS code. */
export interface UtbmsCode {
  readonly code: string;
  readonly name: string;
  readonly set: UtbmsCodeSet;
  readonly kind: UtbmsKind;
  /**
   * True for a phase roll-up that has task codes under it (L100, B200, P200): lines normally
   * carry the task code and the phase is implied, and some portals reject phase-only codes.
   */
  readonly phase: boolean;
  /** The phase a task code belongs to (its own code for a phase or a single-level code); null for activity and expense codes. */
  readonly phaseCode: string | null;
}

/** A phase as written in the tables: code, name, and the task codes under it (none for single-level codes). */
export type PhaseSpec = readonly [
  code: string,
  name: string,
  tasks?: readonly (readonly [string, string])[],
];

/** Expands phase specs into codes, marking a phase as a roll-up only when tasks sit under it. */
export function expandPhases(set: TaskCodeSet, phases: readonly PhaseSpec[]): UtbmsCode[] {
  const codes: UtbmsCode[] = [];
  for (const [code, name, tasks = []] of phases) {
    codes.push({ code, name, set, kind: 'task', phase: tasks.length > 0, phaseCode: code });
    for (const [taskCode, taskName] of tasks) {
      codes.push({
        code: taskCode,
        name: taskName,
        set,
        kind: 'task',
        phase: false,
        phaseCode: code,
      });
    }
  }
  return codes;
}
