import { REJECTION_REASON, watchBody, watchFieldErrors } from './watch-form';

describe('the watchlist form', () => {
  it('sends the value as typed, and the type and note only when given', () => {
    expect(watchBody({ value: '  evil[.]example  ', type: '', note: '  ' })).toEqual({ value: 'evil[.]example' });
    expect(watchBody({ value: '45.9.148.0/22', type: 'cidr', note: ' scanning range ' })).toEqual({
      value: '45.9.148.0/22',
      type: 'cidr',
      note: 'scanning range',
    });
  });

  it('puts each refusal beside the field it names, and an unknown field beside the value', () => {
    expect(
      watchFieldErrors([
        { field: 'value', message: 'is not an indicator' },
        { field: 'note', message: 'must be at most 500 characters' },
        { field: 'value', message: 'carries a credential' },
        { field: 'body', message: 'is invalid' },
      ]),
    ).toEqual({
      value: ['is not an indicator', 'carries a credential', 'is invalid'],
      note: ['must be at most 500 characters'],
    });
    expect(watchFieldErrors([{ field: 'type', message: 'must be one of …' }])).toEqual({ type: ['must be one of …'] });
    expect(watchFieldErrors([])).toEqual({});
  });

  it('has a label for every reason a line is refused', () => {
    expect(Object.keys(REJECTION_REASON).sort()).toEqual(
      ['credential', 'empty', 'invalid_value', 'too_broad', 'too_long', 'type_mismatch', 'unrecognized'].sort(),
    );
  });
});
