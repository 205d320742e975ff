import type { z } from 'zod';
import type { ToolSpec } from './types.js';

/** Keeps a tool's argument types tied to its schema. */
export function defineTool<S extends z.ZodObject>(spec: ToolSpec<S>): ToolSpec<S> {
  return spec;
}
