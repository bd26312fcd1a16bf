import { Fragment } from 'react';

/**
 * A file name that may wrap after `_`, `-`, a space or a dot before the extension's (between the parts people read, not in
 * the middle of one), with the whole name on hover. A part too long for the line still breaks
 * (CSS), rather than widen a phone's page.
 */
export function FileName({ name, className = 'file-name', id }: { name: string; className?: string; id?: string }) {
  // After _ - or a space, and after a dot that is not the extension's (meters.csv stays whole).
  const parts = name.split(/(?<=[_\-\s])|(?<=\.)(?=.*\.)/);
  return (
    <span className={className} title={name} id={id}>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
