import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from '@corridor/domain';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** An error answer stays small whatever the body: the first problems, and how many more there were. */
export const MAX_REPORTED_FIELDS = 50;

export function boundedFields(fields: FieldError[]): { fields: FieldError[]; omittedFields?: number } {
  if (fields.length <= MAX_REPORTED_FIELDS) return { fields };
  return { fields: fields.slice(0, MAX_REPORTED_FIELDS), omittedFields: fields.length - MAX_REPORTED_FIELDS };
}

/**
 * DTO validation: unknown fields rejected, every problem reported with the field it concerns (the
 * first `MAX_REPORTED_FIELDS`; a body of a hundred thousand bad values gets a short answer).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new DomainError('validation_failed', 'request is invalid', boundedFields(flatten(errors))),
  });
}
