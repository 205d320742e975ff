import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getStateNodes } from '@xstate/graph';
import { and, createMachine, not } from 'xstate';
import { conversationMachine } from '../../../statecharts/conversation.js';
import { toMermaid } from '../../../statecharts/diagram.js';
import { DIAGRAM_PATH, renderConversationDiagram } from '../../../statecharts/diagram-cli.js';

describe('statechart diagram', () => {
  it('statecharts/conversation.md is what the machine generates now', () => {
    let committed: string | null = null;
    try {
      committed = readFileSync(DIAGRAM_PATH, 'utf8');
    } catch {
      committed = null;
    }
    const message =
      committed === null
        ? 'statecharts/conversation.md is missing: run `npm run statechart:diagram` and commit it'
        : 'statecharts/conversation.md is out of date with statecharts/conversation.ts: run `npm run statechart:diagram` and commit it';
    expect(committed, message).toBe(renderConversationDiagram());
  });

  it('is deterministic and draws every state node and transition of the chart', () => {
    const diagram = toMermaid(conversationMachine);
    expect(toMermaid(conversationMachine)).toBe(diagram);
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(diagram).toContain('  [*] --> idle\n');
    expect(diagram).toContain('state "booking" as booking {');
    expect(diagram).toContain('[*] --> booking_collecting');
    expect(diagram).toContain('booking_collecting --> booking_searching : always [hasService]');
    expect(diagram).toContain('booking_choosingSlot --> booking_confirming : CHOOSE [isValidSlotOption]');
    expect(diagram).toContain('booking_choosingSlot --> booking_choosingSlot : CHOOSE [else]');
    expect(diagram).toContain('booking_searching --> booking_awaitingDate : done: findSlots [else]');
    expect(diagram).toContain('escalated_raising --> escalated_waitingForStaff : done: escalate');
    expect(diagram).toContain('booking_searching : tags: busy');
    expect(diagram).toContain('conversation --> escalated : EMERGENCY');
    expect(diagram).toContain('conversation --> booking : BOOK (reenter)');

    const nodes = [conversationMachine.root, ...getStateNodes(conversationMachine.root)];
    const transitions = nodes.flatMap((n) => [...[...n.transitions.values()].flat(), ...(n.always ?? [])]);
    const stateLines = diagram.split('\n').filter((line) => /^\s*state "/.test(line));
    // Every node below the root, plus the stand-in for the transitions declared on the root.
    expect(stateLines).toHaveLength(nodes.length);
    const edges = diagram.split('\n').filter((line) => / --> /.test(line) && !line.includes('[*]'));
    expect(edges).toHaveLength(transitions.reduce((sum, t) => sum + Math.max(1, t.target?.length ?? 0), 0));
  });

  it('handles parallel regions, final states, delays, error handlers and combined guards', () => {
    const machine = createMachine({
      id: 'demo',
      initial: 'p',
      states: {
        p: {
          type: 'parallel',
          states: {
            left: {
              initial: 'a',
              states: {
                a: { after: { 500: 'b' }, on: { GO: { target: 'b', guard: and(['ok', not('tired')]) } } },
                b: { invoke: { src: 'work', onError: 'a' }, always: { target: 'done' } },
                done: { type: 'final' },
              },
            },
            right: { initial: 'x', states: { x: { tags: ['busy', 'alpha'] } } },
          },
          onDone: 'end',
        },
        end: { type: 'final' },
      },
    });
    expect(toMermaid(machine)).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> p',
        '  state "p" as p {',
        '    state "left" as p_left {',
        '      [*] --> p_left_a',
        '      state "a" as p_left_a',
        '      state "b" as p_left_b',
        '      p_left_b : invokes: work',
        '      state "done" as p_left_done',
        '      p_left_done --> [*]',
        '    }',
        '    --',
        '    state "right" as p_right {',
        '      [*] --> p_right_x',
        '      state "x" as p_right_x',
        '      p_right_x : tags: alpha, busy',
        '    }',
        '  }',
        '  state "end" as end',
        '  end --> [*]',
        '  p --> end : done',
        '  p_left_a --> p_left_b : GO [(ok && !tired)]',
        '  p_left_a --> p_left_b : after 500',
        '  p_left_b --> p_left_a : error: work',
        '  p_left_b --> p_left_done : always',
        '',
      ].join('\n'),
    );
  });

  it('writes no region separator at the top level of a parallel machine (Mermaid rejects it there)', () => {
    const machine = createMachine({
      id: 'flat',
      type: 'parallel',
      states: { a: {}, b: {} },
    });
    expect(toMermaid(machine)).toBe(['stateDiagram-v2', '  state "a" as a', '  state "b" as b', ''].join('\n'));
  });
});
