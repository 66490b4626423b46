import { type ReactNode, useId, useRef } from 'react';

interface ConfirmButtonProps {
  readonly label: string;
  readonly title: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly danger?: boolean;
  readonly disabled?: boolean;
  readonly children?: ReactNode;
}

/** A button that asks first, in a modal dialog (Escape or Cancel backs out). */
export const ConfirmButton = ({
  label,
  title,
  confirmLabel,
  onConfirm,
  danger,
  disabled,
  children,
}: ConfirmButtonProps) => {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        type="button"
        className={danger ? 'button button-danger' : 'button'}
        disabled={disabled}
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="dialog">
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'button button-danger' : 'button button-primary'}
            onClick={() => {
              close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
};
