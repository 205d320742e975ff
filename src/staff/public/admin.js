// The "Staff" tab, for admins: the staff accounts, adding one, changing a role, setting a new
// password, disabling and re-enabling. An admin cannot demote or disable their own account
// from here, so a clinic cannot lock itself out by a slip of the mouse.

import { h, setMessage, whileBusy } from './dom.js';
import { errorText, fullTime } from './format.js';

/** Kept in step with src/staff/passwords.ts so the form can say so before sending; the server decides. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * @typedef {import('./format.js').Translate} Translate
 * @typedef {{id: string, email: string, displayName: string, role: 'staff' | 'admin',
 *            disabled?: boolean, disabledAt?: string | null, createdAt?: string}} StaffUser
 *
 * @param {{
 *   t: Translate,
 *   uiLocale: string,
 *   formatLocale: string,
 *   api: import('./api.js').Api,
 *   myId: () => string | null,
 *   confirm: (question: {title: string, text: string, ok: string}) => Promise<boolean>,
 *   askPassword: (title: string) => Promise<string | null>,
 *   els: {
 *     body: HTMLElement, error: HTMLElement, status: HTMLElement,
 *     form: HTMLFormElement, formError: HTMLElement, formButton: HTMLButtonElement,
 *   },
 * }} options
 */
export function createStaffAdmin(options) {
  const { t, api, els } = options;
  /** @type {StaffUser[]} */
  let users = [];

  const isDisabled = (user) => Boolean(user.disabled ?? user.disabledAt);

  async function load() {
    setMessage(els.error, '');
    try {
      const data = await api.listUsers();
      users = Array.isArray(data) ? data : Array.isArray(data?.users) ? data.users : [];
      render();
    } catch (error) {
      setMessage(els.error, errorText(t, error));
    }
  }

  function render() {
    const sorted = [...users].sort(
      (a, b) => Number(isDisabled(a)) - Number(isDisabled(b)) || a.displayName.localeCompare(b.displayName),
    );
    els.body.replaceChildren(...sorted.map(renderRow));
  }

  /** @param {StaffUser} user */
  function renderRow(user) {
    const self = user.id === options.myId();
    const disabled = isDisabled(user);

    const role = h('select', { className: 'role-select', attrs: { 'aria-label': t('roleOf', { name: user.displayName }), disabled: self } }, [
      h('option', { text: t('roleStaff'), attrs: { value: 'staff', selected: user.role === 'staff' } }),
      h('option', { text: t('roleAdmin'), attrs: { value: 'admin', selected: user.role === 'admin' } }),
    ]);
    if (self) role.title = t('cannotChangeSelf');
    role.addEventListener('change', () => void changeRole(user, role));

    const password = h('button', {
      className: 'button button--small button--secondary',
      text: t('setPassword'),
      attrs: { type: 'button', 'aria-label': t('setPasswordFor', { name: user.displayName }) },
    });
    password.addEventListener('click', () => void setPassword(user, password));

    const toggle = h('button', {
      className: `button button--small ${disabled ? 'button--secondary' : 'button--danger'}`,
      text: disabled ? t('enable') : t('disable'),
      attrs: {
        type: 'button',
        disabled: self,
        title: self ? t('cannotChangeSelf') : null,
        'aria-label': t(disabled ? 'enableUser' : 'disableUser', { name: user.displayName }),
      },
    });
    toggle.addEventListener('click', () => void setDisabled(user, !disabled, toggle));

    const since = user.createdAt ? fullTime(options.formatLocale, user.createdAt) : '';
    return h('tr', { className: disabled ? 'is-disabled' : '' }, [
      h('td', {}, [
        h('span', { className: 'user-name', text: user.displayName, attrs: { dir: 'auto' } }),
        self ? h('span', { className: 'you-tag', text: t('youTag') }) : null,
        since ? h('span', { className: 'user-since', text: t('userSince', { date: since }) }) : null,
      ]),
      h('td', { className: 'user-email', text: user.email }),
      h('td', {}, [role]),
      h('td', {}, [h('span', { className: `state-tag ${disabled ? 'state-tag--off' : 'state-tag--on'}`, text: disabled ? t('stateDisabled') : t('stateActive') })]),
      h('td', { className: 'user-actions' }, [password, toggle]),
    ]);
  }

  async function patch(user, changes, done) {
    setMessage(els.error, '');
    setMessage(els.status, '');
    try {
      await api.updateUser(user.id, changes);
      setMessage(els.status, done);
      await load();
      return true;
    } catch (error) {
      setMessage(els.error, errorText(t, error));
      return false;
    }
  }

  async function changeRole(user, select) {
    const role = select.value === 'admin' ? 'admin' : 'staff';
    select.disabled = true;
    const ok = await patch(user, { role }, t('roleChanged', { name: user.displayName, role: t(role === 'admin' ? 'roleAdmin' : 'roleStaff') }));
    if (!ok) {
      select.value = user.role;
      select.disabled = false;
    }
  }

  async function setDisabled(user, disabled, button) {
    if (disabled) {
      const confirmed = await options.confirm({
        title: t('confirmDisableTitle', { name: user.displayName }),
        text: t('confirmDisableText'),
        ok: t('disable'),
      });
      if (!confirmed) return;
    }
    await whileBusy(button, () =>
      patch(user, { disabled }, t(disabled ? 'userDisabled' : 'userEnabled', { name: user.displayName })),
    );
  }

  async function setPassword(user, button) {
    const password = await options.askPassword(t('setPasswordFor', { name: user.displayName }));
    if (password === null) return;
    await whileBusy(button, () => patch(user, { password }, t('passwordChanged', { name: user.displayName })));
  }

  async function addUser() {
    const data = new FormData(els.form);
    const user = {
      displayName: String(data.get('displayName') ?? '').trim(),
      email: String(data.get('email') ?? '').trim(),
      role: data.get('role') === 'admin' ? 'admin' : 'staff',
      password: String(data.get('password') ?? ''),
    };
    const problem = !user.displayName
      ? ['new-name', t('errorNameRequired')]
      : !/^[^\s@]+@[^\s@]+$/.test(user.email)
        ? ['new-email', t('errorEmailInvalid')]
        : user.password.length < MIN_PASSWORD_LENGTH
          ? ['new-password', t('errorPasswordShort', { min: MIN_PASSWORD_LENGTH })]
          : null;
    setMessage(els.formError, problem ? problem[1] : '');
    setMessage(els.status, '');
    if (problem) {
      document.getElementById(problem[0])?.focus();
      return;
    }
    await whileBusy(els.formButton, async () => {
      try {
        await api.createUser(user);
        els.form.reset();
        setMessage(els.status, t('userAdded', { name: user.displayName }));
        await load();
      } catch (error) {
        setMessage(els.formError, error?.status === 409 ? t('errorEmailTaken', { email: user.email }) : errorText(t, error));
      }
    });
  }

  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void addUser();
  });

  return { load };
}
