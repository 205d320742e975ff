/**
 * The one way a tool call from the model becomes a statechart event.
 *
 *   const result = checkToolCall(call.function.name, call.function.arguments, ctx, { onRefused: countIt });
 *   if (result.ok) send(result.event);
 *   else answer the model once with result.error.toModelFeedback(), then ask the patient.
 *
 * Steps, stopping at the first that fails: the tool is allowed in this state (`not_allowed_here`)
 * → the arguments are JSON (`invalid_json`) → they match the tool's strict schema, which also
 * refuses extra arguments such as a `patientId` (`schema`) → no id argument is a placeholder
 * (`placeholder`) → the tool's own context rules (`unknown_id`, `mismatch`, `not_offered`,
 * `not_yours`, `in_past`, `outside_hours`). It never throws for bad input and runs nothing:
 * the event it returns is what the offline NLU would have produced for the same request.
 */
import type { z } from 'zod';
import type { ConversationEvent } from '../../statecharts/conversation.js';
import { isToolName, toolsAllowedIn, type ToolName } from '../../statecharts/agent-policy.js';
import { knownIds, placeholderIssues } from './checks.js';
import { TOOLS } from './registry.js';
import { allowedToolSuggestions } from './suggestions.js';
import { ToolValidationError, type ToolCallContext, type ToolIssue } from './types.js';

export type ToolCallResult =
  | { ok: true; tool: ToolName; args: Record<string, unknown>; event: ConversationEvent }
  | { ok: false; error: ToolValidationError };

export interface CheckOptions {
  /** Called with every refusal, e.g. to count them by tool and issue code. */
  onRefused?: (error: ToolValidationError) => void;
}

export function checkToolCall(name: string, rawArguments: string, ctx: ToolCallContext, options: CheckOptions = {}): ToolCallResult {
  const result = validate(name, rawArguments, ctx);
  if (!result.ok) options.onRefused?.(result.error);
  return result;
}

function validate(name: string, rawArguments: string, ctx: ToolCallContext): ToolCallResult {
  if (!isToolName(name) || !toolsAllowedIn(ctx.state).includes(name)) {
    const message = isToolName(name) ? `${name} cannot be used in state ${ctx.state}.` : `There is no tool named ${JSON.stringify(name)}.`;
    return refused(name, rawArguments, [{ path: '', code: 'not_allowed_here', message }], { tools: allowedToolSuggestions(ctx.state) });
  }
  const tool = TOOLS[name];
  const json = parseJson(rawArguments);
  if (!json.ok) {
    return refused(name, rawArguments, [{ path: '', code: 'invalid_json', message: `The arguments are not a JSON object: ${json.reason}` }], tool.suggest(ctx));
  }
  const parsed = tool.parameters.safeParse(json.value);
  if (!parsed.success) return refused(name, json.value, schemaIssues(parsed.error), tool.suggest(ctx));
  const args = parsed.data;
  const placeholders = placeholderIssues(args, knownIds(ctx));
  if (placeholders.length > 0) return refused(name, args, placeholders, tool.suggest(ctx));
  const checked = tool.check(args, ctx);
  if (!checked.ok) return refused(name, args, checked.issues, checked.suggestions);
  return { ok: true, tool: name, args, event: checked.event };
}

function refused(tool: string, args: unknown, issues: ToolIssue[], suggestions: ToolValidationError['suggestions']): ToolCallResult {
  return { ok: false, error: new ToolValidationError(tool, args, issues, suggestions) };
}

type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

function parseJson(raw: string): ParsedJson {
  // Some servers send an empty string for a tool without arguments.
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'expected an object' };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** One issue per argument; an argument the tool does not take is reported under its own name. */
function schemaIssues(error: z.ZodError): ToolIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: key, code: 'schema' as const, message: `Unknown argument "${key}"; this tool does not take it.` }));
    }
    return [{ path: issue.path.map(String).join('.'), code: 'schema' as const, message: issue.message }];
  });
}
