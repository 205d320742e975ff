/**
 * Labelled patient messages for the NLU evaluation: one YAML list per language
 * (`test/nlu-eval/<set>/<lang>.yaml`). The format is the one the blind writers were given; a YAML
 * comment above an item may show the menu the writer imagined ("# menu: 1. Tue 8 Dec 10:30 with …").
 * A malformed file is refused with the file, the item number and the reason.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Clinic } from '../config/catalog-schema.js';
import { INTENTS } from '../core/nlu.js';
import { EMERGENCY_KINDS } from '../nlu/lexicon-schema.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as "HH:MM" (24 h)');
const context = z
  .string()
  .regex(/^(after_service_info:[a-z0-9][a-z0-9_-]*|choosing_slot|confirming)$/, 'expected after_service_info:<service id>, choosing_slot or confirming');

export const labelSchema = z
  .strictObject({
    text: z.string().min(1),
    intent: z.enum(INTENTS),
    service: z.string().optional(),
    practitioner: z.string().optional(),
    day: day.optional(),
    time: clock.optional(),
    time_relation: z.enum(['at', 'after', 'before']).optional(),
    part_of_day: z.enum(['morning', 'afternoon', 'evening']).optional(),
    option: z.number().int().min(1).max(9).optional(),
    emergency_kind: z.enum(EMERGENCY_KINDS).optional(),
    negated: z.array(z.string()).optional(),
    context: context.optional(),
    options_shown: z.number().int().min(1).max(9).optional(),
  })
  .refine((label) => label.time_relation === undefined || label.time !== undefined, {
    message: 'time_relation needs a time',
    path: ['time_relation'],
  })
  .refine((label) => label.options_shown === undefined || label.context === 'choosing_slot', {
    message: 'options_shown goes with context choosing_slot',
    path: ['options_shown'],
  });

export type Label = z.infer<typeof labelSchema>;

export interface LabelledItem {
  /** 1-based position in the file. */
  readonly index: number;
  readonly label: Label;
  /** The YAML comment written above the item, if any (the imagined menu). */
  readonly comment: string | null;
}

export class LabelFileError extends Error {}

/** Reads one language file of a set; ids are checked against the catalog the set was written for. */
export async function loadLabelFile(file: string, clinic: Clinic): Promise<LabelledItem[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LabelFileError(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseLabels(text, file, clinic);
}

export function parseLabels(text: string, file: string, clinic: Clinic): LabelledItem[] {
  const doc = parseDocument(text);
  const [syntax] = doc.errors;
  if (syntax) throw new LabelFileError(`${file}: not valid YAML (${syntax.message.split('\n')[0] ?? ''})`);
  const list = doc.contents;
  if (!isSeq(list)) throw new LabelFileError(`${file}: expected a YAML list of labelled messages`);
  const ids = { service: new Set(clinic.services.map((s) => s.id)), practitioner: new Set(clinic.doctors.map((d) => d.id)) };
  const problems: string[] = [];
  const items: LabelledItem[] = [];
  list.items.forEach((node, i) => {
    const where = `${file}: item ${i + 1}`;
    const parsed = labelSchema.safeParse(isMap(node) || node === null ? node?.toJSON() : node);
    if (!parsed.success) {
      const text = isMap(node) ? node.get('text') : undefined;
      for (const issue of parsed.error.issues) {
        problems.push(`${where}${typeof text === 'string' ? ` ("${text}")` : ''}: ${issue.path.join('.') || '(item)'}: ${issue.message}`);
      }
      return;
    }
    const label = parsed.data;
    const unknown = unknownIds(label, ids, clinic);
    for (const message of unknown) problems.push(`${where} ("${label.text}"): ${message}`);
    if (unknown.length === 0) {
      const comment = isMap(node) ? (node.commentBefore ?? null) : null;
      items.push({ index: i + 1, label, comment });
    }
  });
  if (problems.length > 0) throw new LabelFileError(problems.join('\n'));
  return items;
}

function unknownIds(label: Label, ids: { service: Set<string>; practitioner: Set<string> }, clinic: Clinic): string[] {
  const out: string[] = [];
  if (label.service !== undefined && !ids.service.has(label.service)) out.push(`service: unknown service "${label.service}" in ${clinic.id}`);
  if (label.practitioner !== undefined && !ids.practitioner.has(label.practitioner)) {
    out.push(`practitioner: unknown practitioner "${label.practitioner}" in ${clinic.id}`);
  }
  for (const id of label.negated ?? []) {
    if (!ids.service.has(id) && !ids.practitioner.has(id)) out.push(`negated: "${id}" is neither a service nor a practitioner of ${clinic.id}`);
  }
  const infoAbout = label.context?.startsWith('after_service_info:') ? label.context.slice('after_service_info:'.length) : null;
  if (infoAbout !== null && !ids.service.has(infoAbout)) out.push(`context: unknown service "${infoAbout}" in ${clinic.id}`);
  return out;
}
