/**
 * The contract between the agents (src/agents/, which talk to a language model) and the
 * tools the model may call. A tool never runs on the model's word alone: its arguments are
 * parsed with the zod schema, then checked against what this conversation has really seen,
 * and only then turned into the one statechart event that does the work (the chart and its
 * actors book, cancel, escalate — always behind the chart's own confirmation step).
 */
import type { z } from 'zod';
import type { Clinic } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import { AppError } from '../core/errors.js';
import type { ConversationContext, ConversationEvent } from '../../statecharts/conversation.js';

/** Everything a tool may check arguments against. Patient and clinic ids come from here, never from the model. */
export interface ToolCallContext {
  /** Dotted state name, e.g. "booking.choosingSlot". */
  state: string;
  context: ConversationContext;
  clinic: Clinic;
  now: Date;
  locale: Locale;
}

export interface ToolSpec<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** Shown to the model: what the tool does and when to call it. */
  description: string;
  /** Strict-mode friendly: every property required, optional ones `.nullable()`. */
  parameters: S;
  /** Context rules after the schema passed; returns the chart event or the problems found. */
  check(args: z.infer<S>, ctx: ToolCallContext): ToolCheck;
  /** The valid values from context sent with any refusal of this tool (bad JSON, schema, placeholder). */
  suggest(ctx: ToolCallContext): ToolSuggestions;
}

export type ToolCheck = { ok: true; event: ConversationEvent } | { ok: false; issues: ToolIssue[]; suggestions: ToolSuggestions };

export interface ToolIssue {
  /** Argument path, e.g. "doctorId". */
  path: string;
  code: 'not_allowed_here' | 'invalid_json' | 'schema' | 'placeholder' | 'unknown_id' | 'not_offered' | 'not_yours' | 'in_past' | 'outside_hours' | 'mismatch';
  message: string;
}

/** Valid values from context the model can pick instead (ids with a human label). */
export type ToolSuggestions = Record<string, { id: string; label: string }[]>;

/** A tool call refused before anything ran; carries the tool's name and the offending arguments. */
export class ToolValidationError extends AppError {
  constructor(
    readonly tool: string,
    readonly args: unknown,
    readonly issues: ToolIssue[],
    readonly suggestions: ToolSuggestions,
  ) {
    super('tool_arguments_invalid', `Tool ${tool} refused: ${issues.map((issue) => `${issue.path}: ${issue.code}`).join(', ')}`);
  }

  /** What the model is shown so it can correct itself once. */
  toModelFeedback(): string {
    return JSON.stringify({ error: 'invalid_arguments', tool: this.tool, issues: this.issues, suggestions: this.suggestions });
  }
}
