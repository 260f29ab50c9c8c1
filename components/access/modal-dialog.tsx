'use client';

import { Button, Flex, Heading } from '@aws-amplify/ui-react';
import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import styles from './modal-dialog.module.css';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
function keepFocusInside(dialog: HTMLDialogElement, event: KeyboardEvent<HTMLDialogElement>) {
  const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.offsetParent !== null || element === document.activeElement,
  );
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * A modal on the native <dialog>: the browser inerts the page behind and Escape closes it; Tab
 * cycles inside; focus goes to the first field (or a `data-autofocus` element) on open and back to
 * the opener on close.
 */
export function ModalDialog({
  open,
  title,
  description,
  onClose,
  children,
  footer,
  wide = false,
  closeDisabled = false,
}: {
  open: boolean;
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** While work runs that must not be abandoned half-way (a bulk invite), Escape and × do nothing. */
  closeDisabled?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      const first = dialog.querySelector<HTMLElement>(
        '[autofocus], [data-autofocus], textarea, input:not([type="hidden"]):not([disabled]), select',
      );
      first?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // The opener may have been re-rendered away (e.g. the row it sat in); fall back to <main>.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const restore = () => {
      const target = opener.current;
      if (target instanceof HTMLElement && target.isConnected) target.focus();
      else document.getElementById('main')?.focus();
    };
    dialog.addEventListener('close', restore);
    return () => dialog.removeEventListener('close', restore);
  }, []);

  return (
    <dialog
      ref={ref}
      className={`${styles.dialog} ${wide ? styles.wide : ''}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onKeyDown={(event) => {
        if (event.key === 'Tab') keepFocusInside(event.currentTarget, event);
      }}
      onCancel={(event) => {
        // Escape: close through the owner's state, so React and the element agree.
        event.preventDefault();
        if (!closeDisabled) onClose();
      }}
    >
      {open ? (
        <Flex direction="column" gap="0" className={styles.frame}>
          <Flex className={styles.header} justifyContent="space-between" alignItems="flex-start" gap="small">
            <Flex direction="column" gap="xxs">
              <Heading level={2} fontSize="large" fontWeight="bold" id={titleId}>
                {title}
              </Heading>
              {description ? (
                <div id={descriptionId} className={styles.description}>
                  {description}
                </div>
              ) : null}
            </Flex>
            <Button
              variation="link"
              size="small"
              className={styles.close}
              onClick={onClose}
              isDisabled={closeDisabled}
              aria-label="Close"
            >
              <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                <path d="m2 2 12 12M14 2 2 14" stroke="currentColor" strokeWidth="2" fill="none" />
              </svg>
            </Button>
          </Flex>
          <div className={styles.body}>{children}</div>
          {footer ? (
            <Flex className={styles.footer} justifyContent="flex-end" gap="small" wrap="wrap">
              {footer}
            </Flex>
          ) : null}
        </Flex>
      ) : null}
    </dialog>
  );
}
