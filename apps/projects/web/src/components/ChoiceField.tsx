import { FormControl, Select } from '@primer/react';

export interface Choice {
  value: string;
  label: string;
}

/** Named resources (types, statuses, users, roles, projects) as choices keyed by id. */
export const choices = (items: { id: number; name: string }[] | undefined): Choice[] =>
  (items ?? []).map((item) => ({ value: String(item.id), label: item.name }));

/** A labelled drop-down: fixed choices (e.g. "anyone", "(none)") first, then the given ones. */
export function ChoiceField({ label, value, onChange, options, required }: { label: string; value: string; onChange(value: string): void; options: Choice[]; required?: boolean }) {
  return (
    <FormControl required={required}>
      <FormControl.Label>{label}</FormControl.Label>
      <Select value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((option) => (
          <Select.Option key={option.value} value={option.value}>
            {option.label}
          </Select.Option>
        ))}
      </Select>
    </FormControl>
  );
}
