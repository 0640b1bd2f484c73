import { expect } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';

/** The UserError `fn` throws; fails the test when it throws nothing or something else. */
export function userErrorOf(fn: () => unknown): UserError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UserError);
  return caught as UserError;
}
