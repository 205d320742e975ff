import { describe, expect, it } from 'vitest';
import { formatOutgoing, formatReply } from '../../../src/channels/whatsapp/format.js';

const RLM = '\u200F';
const label = () => 'Clinic staff';

describe('WhatsApp text', () => {
  it('turns options into a numbered menu the patient answers with the number', () => {
    const text = formatReply({
      text: 'Which time suits you?',
      locale: 'en',
      options: [
        { id: 'slot-1', label: 'Mon 24 Nov, 09:00' },
        { id: 'slot-2', label: 'Mon 24 Nov, 09:30' },
      ],
    });
    expect(text).toBe('Which time suits you?\n\n*1.* Mon 24 Nov, 09:00\n*2.* Mon 24 Nov, 09:30');
  });

  it('starts every Hebrew line with a right-to-left mark, so numbered lines read from the right', () => {
    const text = formatReply({ text: 'איזו שעה מתאימה?', locale: 'he', options: [{ id: 'x', label: 'יום ב׳ 09:00' }] });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${RLM}איזו שעה מתאימה?`);
    expect(lines[1]).toBe('');
    expect(lines[2]).toBe(`${RLM}*1.* יום ב׳ 09:00`);
  });

  it('sends each reply as its own message', () => {
    const parts = formatOutgoing({ author: 'bot', replies: [{ text: 'One', locale: 'en' }, { text: 'Two', locale: 'en' }] }, label);
    expect(parts).toEqual(['One', 'Two']);
  });

  it('heads a staff reply with the name in bold, without letting the name break the markup', () => {
    const parts = formatOutgoing({ author: 'staff', authorName: 'Ana *the* _boss_', replies: [{ text: 'We can see you at 10.', locale: 'en' }] }, label);
    expect(parts).toEqual(['*Ana the boss · Clinic staff*\nWe can see you at 10.']);
    const hebrew = formatOutgoing({ author: 'staff', authorName: 'Dana', replies: [{ text: 'שלום', locale: 'he' }] }, () => 'צוות המרפאה');
    expect(hebrew).toEqual([`${RLM}*Dana · צוות המרפאה*\n${RLM}שלום`]);
  });
});
