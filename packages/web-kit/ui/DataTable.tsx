import type { ReactNode } from 'react';
import { Text } from '@primer/react';

export interface Column {
  title: string;
  width?: number;
}

/**
 * The one table every page uses: labelled for assistive technology (and tests), with a last, unnamed
 * column for row actions when `actionsWidth` is given.
 */
export function DataTable({ label, columns, actionsWidth, children }: { label: string; columns: Column[]; actionsWidth?: number; children: ReactNode }) {
  return (
    <table className="data-table" aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.title} style={column.width ? { width: column.width } : undefined}>
              {column.title}
            </th>
          ))}
          {actionsWidth ? (
            <th style={{ width: actionsWidth }}>
              <span className="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Muted one-line text, e.g. for an empty list. */
export function Hint({ children }: { children: ReactNode }) {
  return (
    <Text as="p" style={{ color: 'var(--fgColor-muted)', marginBottom: 16 }}>
      {children}
    </Text>
  );
}
