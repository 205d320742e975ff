/**
 * Argument schemas the tools share. Strict-mode friendly for OpenAI: no defaults, optional
 * values are `.nullable()`, and ids are plain strings so that validation — not the schema —
 * refuses an invented id and can answer with the valid ones.
 */
import { z } from 'zod';
import { DATE_PATTERN, PARTS_OF_DAY, TIME_PATTERN } from './dates.js';

export const serviceIdArg = z.string().describe('A service id from the clinic catalog, e.g. "filling".');

export const doctorIdArg = z.string().describe('A doctor id from the clinic catalog, e.g. "dr-dan".');

export const dateArg = z
  .string()
  .regex(DATE_PATTERN, 'expected a day as YYYY-MM-DD')
  .nullable()
  .describe("The day the patient named, as YYYY-MM-DD in the clinic's time zone; null if they named none.");

export const timeArg = z
  .string()
  .regex(TIME_PATTERN, 'expected a 24-hour time as HH:MM')
  .nullable()
  .describe("The time the patient named, as 24-hour HH:MM in the clinic's time zone; null if they named none.");

export const partOfDayArg = z
  .enum(PARTS_OF_DAY)
  .nullable()
  .describe('"morning", "afternoon" or "evening" when the patient named a part of the day but no time (with no date: any day); else null.');

export const timeRelationArg = z
  .enum(['after', 'before'])
  .nullable()
  .describe('"after" or "before" when the patient gave the time as a bound ("after 3pm", "before 10"); null when they want that time.');

export const appointmentIdArg = z
  .string()
  .describe("The id of one of the patient's appointments as listed in this conversation.");
