import type { FormField } from './submission';

/** The id of a form control, and of the errors shown beside it. */
export const controlId = (field: FormField) => `submit-${field}`;
export const errorsId = (field: FormField) => `submit-${field}-errors`;
export const hintId = (field: FormField) => `submit-${field}-hint`;

/** What a control refers to: its hint, and its errors when it has any (`aria-describedby`, `aria-invalid`). */
export function described(field: FormField, errors: readonly string[] | undefined, hint = false) {
  const ids = [hint ? hintId(field) : null, errors ? errorsId(field) : null].filter(Boolean);
  return {
    'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    'aria-invalid': errors ? true : undefined,
  };
}

/** The api's words for what is wrong with one field, beside it. */
export function FieldErrors({ field, errors }: { field: FormField; errors: readonly string[] | undefined }) {
  if (!errors) return null;
  return (
    <ul id={errorsId(field)} className="field-errors" data-field={field}>
      {errors.map((error, index) => (
        <li key={index}>{error}</li>
      ))}
    </ul>
  );
}
