import { Transform } from 'class-transformer';

/**
 * A query parameter read as an integer only when written as plain decimal digits (`10`, not `0x10`,
 * `1e1`, ` 10` or `10.0`, which `Number()` would accept); anything else is left as the string it was,
 * so `@IsInt()` refuses it with a message naming the parameter.
 */
export function DecimalInteger(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value,
  );
}
