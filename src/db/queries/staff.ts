/** src/db/queries — staff users of the console and their sign-in sessions. */
import type {
  StaffRepository,
  StaffRole,
  StaffSession,
  StaffUser,
  StaffUserChanges,
  StaffUserUpdate,
} from '../../core/ports/records.js';
import type { SqlExecutor } from '../database.js';
import { SQLSTATE, sqlState } from '../sql-errors.js';
import { isUuid, type QueryScope } from './scope.js';

interface StaffUserRow {
  id: string;
  email: string;
  display_name: string;
  role: StaffRole;
  created_at: Date;
  disabled_at: Date | null;
}

interface SessionRow {
  token_hash: string;
  staff_id: string;
  session_created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
}

const USER_COLUMNS = 'u.id, u.email, u.display_name, u.role, u.created_at, u.disabled_at';

function toStaffUser(row: StaffUserRow): StaffUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

function toSession(row: SessionRow): StaffSession {
  return {
    tokenHash: row.token_hash,
    staffId: row.staff_id,
    createdAt: row.session_created_at,
    expiresAt: row.expires_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** True when the change takes away the last thing that makes this user an enabled admin. */
function removesAdmin(current: StaffUserRow, changes: StaffUserChanges): boolean {
  const isEnabledAdmin = current.role === 'admin' && current.disabled_at === null;
  return isEnabledAdmin && (changes.role === 'staff' || changes.disabled === true);
}

async function otherEnabledAdmins(sql: SqlExecutor, staffId: string): Promise<number> {
  // Locked in id order, so two admins demoting each other at once take turns instead of
  // deadlocking; the second one then sees the first one's change and is refused.
  const admins = await sql.query<{ id: string }>(
    `select id from staff_users where role = 'admin' and disabled_at is null order by id for update`,
  );
  return admins.filter((admin) => admin.id !== staffId).length;
}

async function applyUpdate(sql: SqlExecutor, staffId: string, changes: StaffUserChanges): Promise<StaffUserUpdate> {
  const guardsAdmins = changes.role !== undefined || changes.disabled === true;
  const others = guardsAdmins ? await otherEnabledAdmins(sql, staffId) : null;
  const [current] = await sql.query<StaffUserRow>(
    `select ${USER_COLUMNS} from staff_users u where u.id = $1 for update`,
    [staffId],
  );
  if (!current) return { outcome: 'not_found' };
  if (others === 0 && removesAdmin(current, changes)) return { outcome: 'last_admin' };

  const [row] = await sql.query<StaffUserRow>(
    `update staff_users u
        set display_name  = coalesce($2, u.display_name),
            role          = coalesce($3, u.role),
            password_hash = coalesce($4, u.password_hash),
            disabled_at   = case when $5::boolean is null then u.disabled_at
                                 when $5::boolean then coalesce(u.disabled_at, now())
                                 else null end
      where u.id = $1
      returning ${USER_COLUMNS}`,
    [staffId, changes.displayName ?? null, changes.role ?? null, changes.passwordHash ?? null, changes.disabled ?? null],
  );
  if (!row) return { outcome: 'not_found' };
  // A disabled user, or one whose password was reset, is signed out everywhere.
  if (changes.disabled === true || changes.passwordHash !== undefined) {
    await sql.query('delete from staff_sessions where staff_id = $1', [staffId]);
  }
  return { outcome: 'updated', user: toStaffUser(row) };
}

export function staffRepository(scope: QueryScope): StaffRepository {
  return {
    async create(input) {
      try {
        const [row] = await scope.guarded((sql) =>
          sql.query<StaffUserRow>(
            `insert into staff_users as u (email, display_name, password_hash, role)
             values (lower(btrim($1)), $2, $3, $4)
             returning ${USER_COLUMNS}`,
            [input.email, input.displayName, input.passwordHash, input.role],
          ),
        );
        if (!row) throw new Error('insert into staff_users returned no row');
        return { outcome: 'created', user: toStaffUser(row) };
      } catch (error) {
        if (sqlState(error) === SQLSTATE.uniqueViolation) return { outcome: 'email_taken' };
        throw error;
      }
    },

    async findById(staffId) {
      if (!isUuid(staffId)) return null;
      const [row] = await scope.sql.query<StaffUserRow>(`select ${USER_COLUMNS} from staff_users u where u.id = $1`, [staffId]);
      return row ? toStaffUser(row) : null;
    },

    async findCredentials(email) {
      const [row] = await scope.sql.query<StaffUserRow & { password_hash: string }>(
        `select ${USER_COLUMNS}, u.password_hash from staff_users u where u.email = lower(btrim($1))`,
        [email],
      );
      return row ? { user: toStaffUser(row), passwordHash: row.password_hash } : null;
    },

    async list() {
      const rows = await scope.sql.query<StaffUserRow>(
        `select ${USER_COLUMNS} from staff_users u order by (u.disabled_at is not null), lower(u.display_name), u.email`,
      );
      return rows.map(toStaffUser);
    },

    async update(staffId, changes) {
      if (!isUuid(staffId)) return { outcome: 'not_found' };
      return scope.atomic((sql) => applyUpdate(sql, staffId, changes));
    },

    async createSession(session) {
      await scope.sql.query(
        `insert into staff_sessions (token_hash, staff_id, created_at, expires_at, last_seen_at)
         values ($1, $2, $3, $4, $3)`,
        [session.tokenHash, session.staffId, session.createdAt, session.expiresAt],
      );
    },

    async findSession(tokenHash, now) {
      const [row] = await scope.sql.query<StaffUserRow & SessionRow>(
        `select ${USER_COLUMNS},
                s.token_hash, s.staff_id, s.created_at as session_created_at, s.expires_at, s.last_seen_at
           from staff_sessions s
           join staff_users u on u.id = s.staff_id
          where s.token_hash = $1 and s.expires_at > $2 and u.disabled_at is null`,
        [tokenHash, now],
      );
      return row ? { session: toSession(row), user: toStaffUser(row) } : null;
    },

    async touchSession(tokenHash, now) {
      await scope.sql.query('update staff_sessions set last_seen_at = $2 where token_hash = $1', [tokenHash, now]);
    },

    async deleteSession(tokenHash) {
      await scope.sql.query('delete from staff_sessions where token_hash = $1', [tokenHash]);
    },

    async deleteExpiredSessions(now) {
      const rows = await scope.sql.query<{ token_hash: string }>(
        'delete from staff_sessions where expires_at <= $1 returning token_hash',
        [now],
      );
      return rows.length;
    },
  };
}
