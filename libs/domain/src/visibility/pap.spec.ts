import { PAP_LEVELS, defaultPap, isPap, mayLeavePlatform, type Pap } from './pap';

describe('PAP', () => {
  it('defaults to AMBER for AMBER, AMBER+STRICT and RED incidents, GREEN otherwise', () => {
    expect(defaultPap('CLEAR')).toBe('GREEN');
    expect(defaultPap('GREEN')).toBe('GREEN');
    expect(defaultPap('AMBER')).toBe('AMBER');
    expect(defaultPap('AMBER+STRICT')).toBe('AMBER');
    expect(defaultPap('RED')).toBe('AMBER');
  });

  it('knows its four levels only', () => {
    expect(PAP_LEVELS.every(isPap)).toBe(true);
    for (const value of ['WHITE', 'PAP:RED', 'amber', 'AMBER+STRICT', '', null, 3]) expect(isPap(value)).toBe(false);
  });

  it('never lets PAP:RED leave the platform, whatever the provider accepts', () => {
    for (const provider of PAP_LEVELS) expect(mayLeavePlatform('RED', provider)).toBe(false);
  });

  it('lets an indicator go to a provider accepting its level or a more restrictive one', () => {
    const table: Array<[Pap, Pap, boolean]> = [
      ['CLEAR', 'CLEAR', true],
      ['CLEAR', 'AMBER', true],
      ['GREEN', 'CLEAR', false],
      ['GREEN', 'GREEN', true],
      ['GREEN', 'AMBER', true],
      ['AMBER', 'GREEN', false],
      ['AMBER', 'AMBER', true],
      ['AMBER', 'RED', true],
      ['CLEAR', 'RED', true],
    ];
    for (const [pap, provider, allowed] of table)
      expect([pap, provider, mayLeavePlatform(pap, provider)]).toEqual([pap, provider, allowed]);
  });
});
