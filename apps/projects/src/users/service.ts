import { hashPassword, randomToken, verifyPassword } from '@tandem/core';
import { constraintViolation, errors } from '../errors.ts';
import type { UserListQuery, UserRow, UsersRepository } from './repository.ts';

export const MIN_PASSWORD_LENGTH = 10;
const LOGIN = /^[\p{L}\p{N}_\-@.+ ]{1,256}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type UserStatus = 'active' | 'locked' | 'invited';

export interface UserInput {
  login?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  password?: string | undefined;
  admin?: boolean | undefined;
  status?: UserStatus | undefined;
  language?: string | undefined;
}

/** Hooks other modules use to follow account changes (e.g. drop memberships, notify a sync job). */
export interface UserListener {
  beforeDelete?(user: UserRow): Promise<void>;
  afterDelete?(user: UserRow): Promise<void>;
}

export const displayName = (user: Pick<UserRow, 'firstname' | 'lastname' | 'login'>) =>
  `${user.firstname} ${user.lastname}`.trim() || user.login;

export class UsersService {
  private readonly listeners: UserListener[] = [];

  constructor(readonly repository: UsersRepository) {}

  addListener(listener: UserListener): void {
    this.listeners.push(listener);
  }

  async get(id: number): Promise<UserRow> {
    const user = await this.repository.find(id);
    if (!user) throw errors.not_found({ resource: 'user', id });
    return user;
  }

  find(id: number): Promise<UserRow | undefined> {
    return this.repository.find(id);
  }

  findMany(ids: number[]): Promise<UserRow[]> {
    return this.repository.findMany(ids);
  }

  findByLogin(login: string): Promise<UserRow | undefined> {
    return this.repository.findByLogin(login);
  }

  list(query: UserListQuery) {
    return this.repository.list(query);
  }

  /** The user for a login and password, or undefined (wrong password, unknown login, not active). */
  async checkPassword(login: string, password: string): Promise<UserRow | undefined> {
    const user = await this.repository.findByLogin(login);
    if (!user?.password_hash || user.status !== 'active') return undefined;
    return (await verifyPassword(user.password_hash, password)) ? user : undefined;
  }

  async create(input: UserInput): Promise<UserRow> {
    const violations = await this.validate(input, undefined);
    if (violations.length) throw constraintViolation(violations);
    const now = Date.now();
    return this.repository.insert({
      login: input.login!.trim(),
      firstname: input.firstName!.trim(),
      lastname: input.lastName!.trim(),
      email: input.email?.trim() || null,
      password_hash: input.password ? await hashPassword(input.password) : null,
      admin: input.admin ? 1 : 0,
      status: input.status ?? 'active',
      language: input.language ?? 'en',
      created_at: now,
      updated_at: now,
      last_login_at: null,
    });
  }

  async update(id: number, input: UserInput): Promise<UserRow> {
    const user = await this.get(id);
    const violations = await this.validate(input, user);
    if (violations.length) throw constraintViolation(violations);
    const changes: Partial<UserRow> = { updated_at: Date.now() };
    if (input.login !== undefined) changes.login = input.login.trim();
    if (input.firstName !== undefined) changes.firstname = input.firstName.trim();
    if (input.lastName !== undefined) changes.lastname = input.lastName.trim();
    if (input.email !== undefined) changes.email = input.email.trim() || null;
    if (input.language !== undefined) changes.language = input.language;
    if (input.password !== undefined) changes.password_hash = await hashPassword(input.password);
    if (input.admin !== undefined) {
      if (!input.admin) await this.keepOneAdmin(user);
      changes.admin = input.admin ? 1 : 0;
    }
    if (input.status !== undefined && input.status !== user.status) {
      if (input.status !== 'active') await this.keepOneAdmin(user);
      changes.status = input.status;
    }
    await this.repository.update(id, changes);
    return { ...user, ...changes };
  }

  lock(id: number): Promise<UserRow> {
    return this.update(id, { status: 'locked' });
  }

  unlock(id: number): Promise<UserRow> {
    return this.update(id, { status: 'active' });
  }

  async delete(id: number): Promise<void> {
    const user = await this.get(id);
    await this.keepOneAdmin(user);
    for (const l of this.listeners) await l.beforeDelete?.(user);
    await this.repository.delete(id);
    for (const l of this.listeners) await l.afterDelete?.(user);
  }

  async recordLogin(id: number): Promise<void> {
    await this.repository.update(id, { last_login_at: Date.now() });
  }

  /**
   * First start: create the `admin` account when there are no users yet. Returns the password when
   * it was generated, so the caller can print it once.
   */
  async ensureInitialAdmin(password?: string): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.repository.count()) > 0) return { created: false };
    const generated = password ? undefined : randomToken(20);
    await this.create({
      login: 'admin',
      firstName: 'OpenProject',
      lastName: 'Admin',
      email: 'admin@example.net',
      password: password ?? generated!,
      admin: true,
    });
    return generated ? { created: true, generatedPassword: generated } : { created: true };
  }

  private async keepOneAdmin(user: UserRow): Promise<void> {
    if (user.admin && user.status === 'active' && (await this.repository.countActiveAdmins()) <= 1) {
      throw errors.last_admin();
    }
  }

  private async validate(input: UserInput, existing: UserRow | undefined) {
    const violations: { attribute: string; message: string }[] = [];
    const creating = !existing;
    const blank = (v: string | undefined) => v === undefined ? creating : !v.trim();
    if (blank(input.login)) violations.push({ attribute: 'login', message: "Login can't be blank." });
    else if (input.login !== undefined) {
      if (!LOGIN.test(input.login.trim())) violations.push({ attribute: 'login', message: 'Login is invalid.' });
      else {
        const other = await this.repository.findByLogin(input.login.trim());
        if (other && other.id !== existing?.id) violations.push({ attribute: 'login', message: 'Login has already been taken.' });
      }
    }
    if (blank(input.firstName)) violations.push({ attribute: 'firstName', message: "First name can't be blank." });
    else if (input.firstName && input.firstName.trim().length > 30) violations.push({ attribute: 'firstName', message: 'First name is too long (maximum is 30 characters).' });
    if (blank(input.lastName)) violations.push({ attribute: 'lastName', message: "Last name can't be blank." });
    else if (input.lastName && input.lastName.trim().length > 30) violations.push({ attribute: 'lastName', message: 'Last name is too long (maximum is 30 characters).' });
    if (blank(input.email)) violations.push({ attribute: 'email', message: "Email can't be blank." });
    else if (input.email !== undefined && input.email.trim().length > 60) violations.push({ attribute: 'email', message: 'Email is too long (maximum is 60 characters).' });
    else if (input.email !== undefined && !EMAIL.test(input.email.trim())) violations.push({ attribute: 'email', message: 'Email is invalid.' });
    if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
      violations.push({ attribute: 'password', message: `Password is too short (minimum is ${MIN_PASSWORD_LENGTH} characters).` });
    }
    return violations;
  }
}
