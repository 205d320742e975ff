import { describe, expect, it } from 'vitest';
import { whatsappIdCandidates, whatsappUser } from '../../../src/channels/whatsapp/external-ids.js';

describe('naming a WhatsApp patient', () => {
  it('turns what staff type into the identities to look up', () => {
    expect(whatsappIdCandidates('+351 912 345 678')).toEqual(['351912345678@s.whatsapp.net']);
    expect(whatsappIdCandidates('00351912345678')).toEqual(['351912345678@s.whatsapp.net']);
    expect(whatsappIdCandidates('351912345678@s.whatsapp.net')).toEqual(['351912345678@s.whatsapp.net']);
    expect(whatsappIdCandidates('351912345678:4@s.whatsapp.net')).toEqual(['351912345678@s.whatsapp.net']);
    expect(whatsappIdCandidates('123456789012345@lid')).toEqual(['123456789012345@lid']);
    expect(whatsappIdCandidates('123456789012345')).toEqual(['123456789012345@s.whatsapp.net', '123456789012345@lid']);
    expect(whatsappIdCandidates('someone')).toEqual(['someone']);
  });

  it('finds the user id signal keys are filed under', () => {
    expect(whatsappUser('351912345678@s.whatsapp.net')).toBe('351912345678');
    expect(whatsappUser('123:5@lid')).toBe('123');
    expect(whatsappUser('webchat-abc')).toBeNull();
  });
});
