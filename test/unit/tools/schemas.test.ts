import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { zodFunction } from 'openai/helpers/zod';
import { TOOL_NAMES } from '../../../statecharts/agent-policy.js';
import { TOOLS, findTool, toolsFor } from '../../../src/tools/registry.js';
import { isPlaceholder } from '../../../src/tools/checks.js';

const ID_ARGUMENTS = ['serviceId', 'doctorId', 'slotId', 'appointmentId'];

describe('tool schemas are usable as OpenAI strict schemas', () => {
  it.each(TOOL_NAMES)('%s: registered under its own name, described, strict', (name) => {
    const tool = TOOLS[name];
    expect(tool.name).toBe(name);
    expect(tool.description.length).toBeGreaterThan(40);
    const schema = z.toJSONSchema(tool.parameters) as { type: string; properties: Record<string, Record<string, unknown>>; required?: string[]; additionalProperties: boolean };
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect([...(schema.required ?? [])].sort()).toEqual(Object.keys(schema.properties).sort());
    expect(JSON.stringify(schema)).not.toContain('"default"');
    expect(Object.keys(schema.properties)).not.toContain('patientId');
    for (const idArgument of ID_ARGUMENTS.filter((key) => key in schema.properties)) {
      // Ids stay plain strings so validation, not the schema, refuses invented ones.
      expect(JSON.stringify(schema.properties[idArgument])).not.toContain('"enum"');
    }
    expect(zodFunction({ name, parameters: tool.parameters, description: tool.description }).function.strict).toBe(true);
  });

  it('finds tools by name and lists the ones a state allows', () => {
    expect(findTool('book_slot')).toBe(TOOLS.book_slot);
    expect(findTool('rm_rf')).toBeNull();
    expect(toolsFor('booking.choosingSlot').map((tool) => tool.name)).toContain('book_slot');
    expect(toolsFor('escalated.withStaff')).toEqual([]);
  });
});

describe('placeholder values', () => {
  it.each(['1', '42', 'Test', 'doctor_id', 'service-id', 'slot_1', 'appointment-3', '00000000-0000-0000-0000-000000000000', '<id>', '{slotId}', 'N/A', 'XXXX', '...', 'example-slot'])(
    '%j is a placeholder',
    (value) => expect(isPlaceholder(value)).toBe(true),
  );

  it.each(['dr-dan', 'filling', 'xray', 'dr-ivan@2026-11-24T11:00:00.000Z', '6f1c2b9e-3d4a-4c1b-9a55-2b7f0e8d1a01', 'acid', 'idle-doctor'])(
    '%j is not',
    (value) => expect(isPlaceholder(value)).toBe(false),
  );
});
