// The console's two modal questions, on native <dialog> elements (focus kept inside, Escape
// cancels): "are you sure?" before handing a conversation back or disabling an account, and
// a new password for a staff member.

import { byId, setMessage } from './dom.js';

/**
 * @param {{t: import('./format.js').Translate, minPasswordLength: number}} options
 */
export function createDialogs(options) {
  const { t } = options;
  const els = {
    confirm: /** @type {HTMLDialogElement} */ (byId('confirm-dialog')),
    confirmTitle: byId('confirm-title'),
    confirmText: byId('confirm-text'),
    confirmOk: byId('confirm-ok'),
    password: /** @type {HTMLDialogElement} */ (byId('password-dialog')),
    passwordForm: /** @type {HTMLFormElement} */ (byId('password-form')),
    passwordTitle: byId('password-title'),
    passwordInput: /** @type {HTMLInputElement} */ (byId('reset-password')),
    passwordError: byId('password-error'),
  };

  // The password is checked before the dialog closes, so a short one can be corrected in place.
  els.passwordForm.addEventListener('submit', (event) => {
    const submitter = /** @type {SubmitEvent} */ (event).submitter;
    if (!(submitter instanceof HTMLButtonElement) || submitter.value !== 'confirm') return;
    if (els.passwordInput.value.length < options.minPasswordLength) {
      event.preventDefault();
      setMessage(els.passwordError, t('errorPasswordShort', { min: options.minPasswordLength }));
      els.passwordInput.focus();
    }
  });

  /** @param {HTMLDialogElement} dialog @returns {Promise<boolean>} true when closed with "confirm" */
  function ask(dialog) {
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  return {
    /** @param {{title: string, text: string, ok: string}} question */
    confirm(question) {
      els.confirmTitle.textContent = question.title;
      els.confirmText.textContent = question.text;
      els.confirmOk.textContent = question.ok;
      return ask(els.confirm);
    },

    /** @param {string} title @returns {Promise<string | null>} null when cancelled */
    async askPassword(title) {
      els.passwordTitle.textContent = title;
      els.passwordInput.value = '';
      setMessage(els.passwordError, '');
      const answered = ask(els.password);
      els.passwordInput.focus();
      const confirmed = await answered;
      const value = els.passwordInput.value;
      els.passwordInput.value = '';
      return confirmed ? value : null;
    },

    /** Signing out closes whatever was being asked. */
    closeAll() {
      for (const dialog of [els.confirm, els.password]) if (dialog.open) dialog.close('cancel');
    },
  };
}
