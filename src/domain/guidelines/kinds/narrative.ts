/** Kinds that read the narrative: block billing, vague narratives, banned terms, clerical work, travel. */
import { parseScaled } from '../../money.js';
import type { RuleCompiler } from '../compiled-rule.js';
import { BLOCK_BILLING_VERBS, FILLER_WORDS } from '../default-terms.js';
import { makeFinding } from '../findings.js';
import { compileTerms, compileTermsGlobal, countWords, listText, matchedTerm } from '../text.js';

/** Regular -s/-ed/-ing forms of each verb, mapped back to the verb, plus the irregular ones as listed. */
const VERB_OF_FORM = new Map<string, string>();
for (const verb of BLOCK_BILLING_VERBS) {
  const stem = verb.endsWith('e') ? verb.slice(0, -1) : verb;
  for (const form of [verb, `${verb}s`, `${stem}ed`, `${stem}ing`]) VERB_OF_FORM.set(form, verb);
}
VERB_OF_FORM.set('met', 'meet').set('spoke', 'speak').set('wrote', 'write');
const VERB_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...VERB_OF_FORM.keys()].join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);
/** Three different task verbs is several tasks; two is often one ("review and revise the brief"). */
const BLOCK_VERB_COUNT = 3;

/**
 * The tasks an entry lumps together, or null when it reads as one task: two or more
 * `;`-separated parts of at least two words each, or three or more different task verbs.
 */
export function blockBilledTasks(narrative: string): string[] | null {
  if (narrative.includes(';')) {
    const parts = narrative
      .split(';')
      .map((part) => part.trim())
      .filter((part) => countWords(part) >= 2);
    if (parts.length >= 2) return parts;
  }
  VERB_PATTERN.lastIndex = 0;
  let verbs: string[] | null = null;
  for (let match = VERB_PATTERN.exec(narrative); match; match = VERB_PATTERN.exec(narrative)) {
    const verb = VERB_OF_FORM.get(match[0].toLowerCase()) ?? match[0];
    verbs ??= [];
    if (!verbs.includes(verb)) verbs.push(verb);
  }
  return verbs !== null && verbs.length >= BLOCK_VERB_COUNT ? verbs : null;
}

export const compileBlockBilling: RuleCompiler<'block_billing'> = (rule, source) => ({
  ruleId: rule.id,
  evaluate(batch, out) {
    for (const entry of batch.entries) {
      const tasks = blockBilledTasks(entry.narrative);
      if (tasks === null) continue;
      const text = `The entry lumps ${tasks.length} tasks (${listText(tasks.map((t) => `"${t}"`))}) under one time value: record each task as its own entry with its own time.`;
      out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
    }
  },
});

const FILLER = new Set(FILLER_WORDS);

function contentWordCount(text: string): number {
  let count = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}']+/u)) {
    if (word.length > 0 && !FILLER.has(word)) count++;
  }
  return count;
}

export const compileVagueNarrative: RuleCompiler<'vague_narrative'> = (rule, source) => {
  const pattern = compileTerms(rule.params.terms);
  const everyTerm = compileTermsGlobal(rule.params.terms);
  const minWords = rule.params.min_words;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        const narrative = entry.narrative;
        const words = countWords(narrative);
        // An empty narrative is a required_fields finding, not a vague one.
        if (words === 0) continue;
        let text: string | null = null;
        if (words < minWords) {
          text = `"${narrative.trim()}" is too short to show what was done (${words} word${words === 1 ? '' : 's'}, at least ${minWords} needed): describe the task, its subject and purpose.`;
        } else if (pattern !== null && everyTerm !== null && pattern.test(narrative)) {
          // Vague only when little is left once the vague phrases and filler words are removed.
          const rest = contentWordCount(narrative.replace(everyTerm, ' '));
          if (rest < minWords) {
            const term = matchedTerm(pattern, narrative) ?? '';
            text = `"${term}" does not say what was done: describe the task, its subject and purpose (e.g. "Draft motion to compel production of claim files").`;
          }
        }
        if (text !== null) {
          out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
        }
      }
    },
  };
};

export const compileBannedTerms: RuleCompiler<'banned_terms'> = (rule, source) => {
  const pattern = compileTerms(rule.params.terms);
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      if (pattern === null) return;
      for (const entry of batch.entries) {
        if (!pattern.test(entry.narrative)) continue;
        const term = matchedTerm(pattern, entry.narrative) ?? '';
        const text = `The narrative uses "${term}", which the client's guideline does not accept: reword the narrative.`;
        out.push(makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text));
      }
    },
  };
};

export const compileClericalWork: RuleCompiler<'clerical_work'> = (rule, source) => {
  const pattern = compileTerms(rule.params.terms);
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      if (pattern === null) return;
      for (const entry of batch.entries) {
        if (!pattern.test(entry.narrative)) continue;
        const term = matchedTerm(pattern, entry.narrative) ?? '';
        const text = `"${term}" is clerical work the client does not pay for: mark the time non-billable or describe the legal work it involved.`;
        out.push(
          makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text, {
            field: 'amount',
            factor: '0',
          }),
        );
      }
    },
  };
};

export const compileTravelTime: RuleCompiler<'travel_time'> = (rule, source) => {
  const pattern = compileTerms(rule.params.terms);
  const taskCodes = new Set(rule.params.task_codes);
  const factor = rule.params.rate_factor;
  const percent = (parseScaled(factor, 4) ?? 0) / 100;
  const policy = percent === 0 ? 'is not billable' : `is billed at ${percent}% of the rate`;
  return {
    ruleId: rule.id,
    evaluate(batch, out) {
      for (const entry of batch.entries) {
        const byCode = entry.taskCode !== null && taskCodes.has(entry.taskCode);
        if (!byCode && (pattern === null || !pattern.test(entry.narrative))) continue;
        const text = `Travel time ${policy} under the client's guideline: bill it ${percent === 0 ? 'as non-billable time' : 'at the reduced amount'} or record the work done while travelling separately.`;
        out.push(
          makeFinding(rule, source, 'time_entry', entry.id, entry.matterCode, text, {
            field: 'amount',
            factor,
          }),
        );
      }
    },
  };
};
